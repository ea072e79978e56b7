"""The national-scale benchmark behind `niangjia bench` (issue 2, "Scale and the benchmark").

- `generate`: builds the tree, the fact rows and their summaries with set-based SQL.
- `measure`: times the platform's own code against the floor, a raw GROUP BY and a naive tree walk.
- `report`: writes the Markdown report (docs/benchmarks.md).
"""
