"""moto's server, answering one request at a time.

moto_server runs werkzeug threaded, and moto's in-memory backends are not thread-safe: under load, a
state listing racing a write came back as a 500, and a retried lock write after a lost answer left
terraform waiting on its own lock. The tests never need two moto requests at once, so this serves them
in turn (werkzeug then also answers HTTP/1.0, one request per connection: no keep-alive races).

Usage: python moto-server.py HOST PORT
"""
import signal
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
host, port = sys.argv[1], int(sys.argv[2])
run_simple(host, port, DomainDispatcherApplication(create_backend_app), threaded=False, request_handler=MotoRequestHandler)
