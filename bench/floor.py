"""The floor of the page benchmark: a bare Flask page that reads 100 rows (cadres with their
commune) from the same database and renders them with Jinja, served by the same gunicorn in
the same run. taphuan's pages are reported as ratios to it, so a busy machine slows both.

    gunicorn bench.floor:app   (DATABASE_URL as for the app)
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Sàn</title></head>
<body><table>{% for r in rows %}<tr><td>{{ r.id }}</td><td>{{ r.full_name }}</td>
<td>{{ r.birth_year }}</td><td>{{ r.commune }}</td></tr>{% endfor %}</table></body></html>"""


@app.route("/")
def floor():
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.id, c.full_name, c.birth_year, u.name AS commune FROM cadres c "
            "JOIN units u ON u.id = c.commune_id ORDER BY c.sort_key, c.id LIMIT 100")).all()
    return render_template_string(PAGE, rows=rows)


@app.route("/healthz")
def healthz():
    return {"status": "ok"}
