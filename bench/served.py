"""What the page benchmark's gunicorn serves: taphuan (wsgi:app) and, under /_floor, the bare
floor page (bench/floor.py), in the same workers, so both share the machine's moment.

    gunicorn bench.served:app
"""

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bench.floor import app as floor
from wsgi import app as taphuan

app = DispatcherMiddleware(taphuan, {"/_floor": floor})
