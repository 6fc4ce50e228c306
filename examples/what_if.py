# %% [markdown]
# # What if we called earlier? Two policies compared before the switch
#
# The demo policy calls a late customer 15 days after the due date. A stricter one
# calls after 5. `simulate` replays both, day by day, on the same portfolio, with the
# same customers paying as their history says (the same draws: only the policy differs),
# and the charts show what changes: the work of the collectors, the cash in, the
# receivable. Cells are marked with `# %%`; the file also runs as a script:
# `python examples/what_if.py [OUTPUT_FOLDER] [DAYS]`.
# Needs `pip install "collectlib[charts]"` (pandas and matplotlib).

# %%
import datetime as dt
import random
import sys
from pathlib import Path

import attrs
import matplotlib

matplotlib.use("Agg")  # write PNG files; in a notebook, drop this line to see the charts
import matplotlib.pyplot as plt

from collectlib import (
    Behaviour,
    Settlement,
    Trigger,
    payment_profiles,
    portfolio_profile,
    simulate,
)
from collectlib.demo import AS_OF, policy, portfolio
from collectlib.frames import simulation_frames

OUTPUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
DAYS = int(sys.argv[2]) if len(sys.argv) > 2 else 91
accounts = portfolio().accounts
end = AS_OF + dt.timedelta(days=DAYS - 1)

# %% [markdown]
# ## How the customers paid: a history of paid invoices
#
# In real life, `load_settlements("paid.csv")` reads the ERP's history. Here each demo
# customer gets a dozen paid invoices around its own habit (on time, a week late, a
# month late...).

# %%
draw = random.Random(7)  # noqa: S311  # made-up history, not secrets
history = []
for account in accounts:
    habit = draw.choice((0, 0, 3, 7, 12, 20, 35, 60))
    for number in range(12):
        due = AS_OF - dt.timedelta(days=30 * (number + 1))
        late = max(habit + draw.randint(-5, 10), -5)
        history.append(
            Settlement(account_id=account.id, item_id=f"H-{number}",
                       issue_date=due - dt.timedelta(days=30), due_date=due,
                       settled_on=min(due + dt.timedelta(days=late), AS_OF - dt.timedelta(days=1)),
                       amount=draw.randint(200, 5000))
        )  # fmt: skip
behaviour = Behaviour(
    profiles=payment_profiles(history, AS_OF, half_life_days=180),
    fallback=portfolio_profile(history, AS_OF, half_life_days=180),
    seed=2026,
)
print(f"{len(accounts)} accounts, {len(history)} paid invoices in their history")

# %% [markdown]
# ## The two policies, replayed for the same days
#
# Each collector makes at most 6 actions a day; a call makes a late customer pay within
# 10 days with probability 0.3 (`DEFAULT_RESPONSE`).

# %%
demo_policy = policy()
standard = demo_policy.scenario("standard")
steps = list(standard.steps)
steps[1] = attrs.evolve(steps[1], trigger=Trigger.leader_due(5))  # the call after 5 days
stricter = attrs.evolve(
    demo_policy,
    scenarios=[attrs.evolve(standard, steps=steps) if s is standard else s
               for s in demo_policy.scenarios],
)  # fmt: skip
results = {
    "demo (call at +15)": simulate(accounts, demo_policy, AS_OF, end, behaviour, capacity=6),
    "stricter (call at +5)": simulate(accounts, stricter, AS_OF, end, behaviour, capacity=6),
}
frames = {name: simulation_frames(result, numeric=True) for name, result in results.items()}
for name, result in results.items():
    performed = sum(row.performed for row in result.workload)
    paid = result.cash_totals.get("EUR", 0)
    print(f"{name}: {performed} actions, {paid:,} EUR paid from {AS_OF} to {end}")

# %% [markdown]
# ## Three charts: the work, the cash, the receivable
#
# Each chart puts the two policies side by side, in days from the first day.


# %%
def chart(title, file_name, draw):
    """Draw one chart of both policies with ``draw(axes, name, tables)`` and save it."""
    figure, axes = plt.subplots(figsize=(8, 3.5))
    for name, tables in frames.items():
        draw(axes, name, tables)
    axes.set_title(title)
    axes.set_xlabel(f"days from {AS_OF}")
    axes.legend()
    figure.tight_layout()
    figure.savefig(OUTPUT / file_name, dpi=100)


def workload(axes, name, tables):
    weekly = tables.workload.groupby("period")["performed"].sum()
    shift = -1.25 if name == next(iter(frames)) else 1.25  # the bars side by side
    days = [(week - AS_OF).days + shift for week in weekly.index]
    axes.bar(days, weekly.to_numpy(), width=2.5, label=name)


def cash_in(axes, name, tables):
    cash = tables.cash[tables.cash["currency"] == "EUR"]
    axes.plot([(week - AS_OF).days for week in cash["period"]], cash["amount"].cumsum(),
              marker="o", label=name)  # fmt: skip


def overdue(axes, name, tables):
    points = tables.balances[tables.balances["currency"] == "EUR"]
    days = [(on - AS_OF).days for on in points["on"]]
    axes.plot(days, points["overdue"], marker="o", label=f"{name}: overdue")
    axes.plot(days, points["91+"], linestyle="--", label=f"{name}: 91+ days late")


chart("Actions performed per week", "workload.png", workload)
chart("Cash in, cumulated (EUR)", "cash_in.png", cash_in)
chart("Overdue receivable (EUR)", "aged_balance.png", overdue)
print(f"charts written to {OUTPUT}: workload.png, cash_in.png, aged_balance.png")
