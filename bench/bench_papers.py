"""Papers linear in their rows (the speed issue): the admitted list's table at 200 and 1,000
rows, laid out as `app/classes/papers.py` lays it, each figure also as a ratio against a floor
built in the same run (a plain reportlab table of plain strings, the same size, which measures
nothing but one line per cell). CPU time of this process, best of several runs (a shared,
busy machine steals wall-clock time, not CPU time); no file is written."""

import time

from bench import Benchmark

RUNS = 3
_cache: dict[str, float] = {}


def _rows(count: int) -> list[list[str]]:
    """Rows of the same make-up at every size (names, positions, villages and the order of
    choice cycle; a real "523/1000" would not fit its column and wraps, which is another
    make-up): some cells wrap onto two lines, as on a real list."""
    family = ["Đinh", "Phạm", "Huỳnh", "Hồ", "Nguyễn", "Trương", "Võ"]
    middle = ["Thị", "Văn", "Thị Kim", "Minh", "Thị Mỹ"]
    given = ["Lanh", "Bốc", "Nhung", "Tuấn", "Ánh", "Rin", "Phượng", "Chiến", "Hằng", "Ớt",
             "Thương"]
    positions = ["Trưởng thôn", "Chi hội trưởng Chi hội Phụ nữ thôn", "Cộng tác viên giảm nghèo",
                 "Bí thư chi bộ thôn", "Người có uy tín"]
    villages = ["Gò Da", "Tà Bần", "Xà Nay", "Nước Bao", "Làng Rê", "Gò Gạo", "Tà Cơm",
                "Nước Lăng", "Làng Ranh", "Mò O", "Xà Riêng", "Gò Rinh", "Nước Xu"]
    return [[str(n), f"{family[n % 7]} {middle[n % 5]} {given[n % 11]}",
             "1980" if n % 2 else "", "" if n % 2 else "1985", "Hrê", positions[n % 5],
             f"Thôn {villages[n % 13]}, xã\u00a0Sơn\u00a0Hà", f"{n % 30 + 1}/30"]
            for n in range(1, count + 1)]


def _best(func) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def _admitted(count: int) -> float:
    from app.classes.papers import admitted_table
    from app.documents import pdf
    from app.documents.models import DEFAULTS

    rows = _rows(count)
    return _best(lambda: pdf.build_pdf([pdf.national_heading(DEFAULTS), admitted_table(rows)],
                                       title="Danh sách"))


def _floor(count: int) -> float:
    from reportlab.platypus import Table, TableStyle

    from app.classes.papers import HEADER, WIDTHS
    from app.documents import pdf
    from app.documents.models import DEFAULTS

    rows = _rows(count)

    def build():
        plain = Table([list(HEADER), *rows], colWidths=WIDTHS, repeatRows=1)
        plain.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.SERIF),
                                   ("FONTSIZE", (0, 0), (-1, -1), 9)]))
        pdf.build_pdf([pdf.national_heading(DEFAULTS), plain], title="Sàn")

    return _best(build)


def _figure(name: str, make) -> float:
    if name not in _cache:
        _cache[name] = make()
    return _cache[name]


def admitted_1000() -> float:
    return _figure("a1000", lambda: _admitted(1000))


def admitted_1000_over_200() -> float:
    return admitted_1000() / _figure("a200", lambda: _admitted(200))


def admitted_1000_over_floor() -> float:
    return admitted_1000() / _figure("f1000", lambda: _floor(1000))


BENCHMARKS = [
    Benchmark("admitted list, 1,000 names", admitted_1000, 0.5),
    Benchmark("admitted list, 1,000 names / 200 names", admitted_1000_over_200, 5.5, "×"),
    Benchmark("admitted list, 1,000 names / plain reportlab table", admitted_1000_over_floor,
              2.0, "×"),
]
