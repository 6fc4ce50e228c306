"""Files and JSON-ready data: the outer ring's input and output (the core never imports it).

- ``collectlib.io.converters``: every record to plain data and back (``unstructure``,
  ``structure``), with cattrs.
- ``collectlib.io.files``: policies from TOML or JSON, portfolios from JSON or from an
  ERP's CSV of open items, and writing them back; an ERP's history of paid items
  (settlements) from CSV or JSON.
"""
