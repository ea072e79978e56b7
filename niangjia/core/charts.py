"""What every chart of the house shares: its palette and the months on its axis."""

from datetime import date

PALETTE = ["#b5223b", "#e07a5f", "#3d5a80", "#81b29a", "#f2cc8f", "#6d597a", "#98c1d9"]


def months_between(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
