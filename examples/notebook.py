# %% [markdown]
# # A collection portfolio in a notebook
#
# Cells are marked with `# %%` (Jupyter, VS Code and Spyder run them one by one); the file
# also runs as a plain script: `python examples/notebook.py [OUTPUT_FOLDER]`.
# Needs `pip install "collectlib[frames]" matplotlib`.

# %%
import sys
from pathlib import Path

import attrs
import matplotlib

matplotlib.use("Agg")  # write PNG files; in a notebook, drop this line to see the charts
import matplotlib.pyplot as plt

from collectlib import Restart, aged_balance, agenda, qualification_rate
from collectlib.demo import AS_OF, policy, portfolio
from collectlib.frames import agenda_frame, report_frame

OUTPUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
accounts = portfolio().accounts
rules = policy()
print(f"{len(accounts)} accounts, {sum(len(a.items) for a in accounts)} items, as of {AS_OF}")

# %% [markdown]
# ## Today's agenda

# %%
actions = agenda_frame(agenda(accounts, rules, AS_OF))
print(actions[["due_on", "late_days", "account_id", "collector", "name", "amount"]].to_string())
print(actions.groupby("collector")["amount"].agg(["count", "sum"]))

# %% [markdown]
# ## The aged balance, as a chart

# %%
aged = aged_balance(accounts, AS_OF)
buckets = {label: float(amount) for label, amount in aged.total.items()}
figure, axes = plt.subplots(figsize=(7, 3.5))
axes.bar(list(buckets), list(buckets.values()), color="#4878a8")
axes.set_title(f"Aged balance on {AS_OF} (EUR)")
axes.set_ylabel("open balance")
figure.tight_layout()
chart = OUTPUT / "aged_balance.png"
figure.savefig(chart, dpi=100)
print(f"chart written to {chart}")
print(report_frame(aged).head())

# %% [markdown]
# ## Qualification rate of overdue items, by collector

# %%
rate = qualification_rate(accounts, AS_OF)
print(f"qualified: {rate.rate_by_amount:.1%} of the overdue amount")
by_collector = report_frame(rate).groupby("collector", dropna=False)[["count", "amount"]].sum()
print(by_collector)

# %% [markdown]
# ## What if: the same portfolio under a stricter policy
#
# A higher minimum amount and a scenario that catches up with old invoices.

# %%
strict = attrs.evolve(
    rules,
    minimum_amount=3000,
    scenarios=tuple(attrs.evolve(s, restart=Restart.CATCH_UP) for s in rules.scenarios),
)
today = agenda_frame(agenda(accounts, rules, AS_OF))
stricter = agenda_frame(agenda(accounts, strict, AS_OF))
comparison = {
    "actions": (len(today), len(stricter)),
    "formal notices": (
        int((today["name"] == "Formal notice").sum()),
        int((stricter["name"] == "Formal notice").sum()),
    ),
    "amount at stake": (today["amount"].sum(), stricter["amount"].sum()),
}
for what, (current, what_if) in comparison.items():
    print(f"{what:16} current {current!s:>12}   stricter {what_if!s:>12}")
