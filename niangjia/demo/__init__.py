"""The demo federation (`niangjia demo`): a realistic province of 浙江 with people, sites and facts.

See docs/demo.md. Everything is seeded, written in bulk in one transaction, and its summary
rows are rebuilt from the facts with niangjia.stats.rollup.
"""
