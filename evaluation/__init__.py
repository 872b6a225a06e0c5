"""CareerGini's quality measurements, shared by `make eval` (thresholds, report) and `make bench`.

Each module measures one thing on its golden set and returns plain figures; ``runner`` holds
them to ``thresholds.toml`` and writes ``var/eval/report.json`` and its Markdown table.
"""
