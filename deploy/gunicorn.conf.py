"""gunicorn's settings for one web process (`gunicorn -c deploy/gunicorn.conf.py lms.wsgi`).

systemd's lms-web@PORT.service starts one process per port, each bound to loopback behind nginx
(deploy/nginx/lms.conf lists them in its upstream). The environment file gives the Django
settings; these are the server's own. Every value can be changed for one machine through the
environment named beside it, without editing this file.
"""

import multiprocessing
import os

# Where this process listens: set by the unit (`--bind 127.0.0.1:%i`) or GUNICORN_BIND.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker processes per web process. Requests are short and mostly wait on PostgreSQL; two or
# three per core is the usual start (WEB_CONCURRENCY is gunicorn's own variable for it).
workers = int(os.environ.get("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2)))
worker_class = "sync"
# A request that takes longer is killed and logged; nginx answers 504 first (proxy_read_timeout).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # seconds; nginx keeps connections to the upstream open (`keepalive` there)
# Restart each worker now and then, so slow growth of memory never becomes an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Only nginx on this machine talks to gunicorn; it sets X-Forwarded-Proto, which gunicorn
# trusts from these addresses alone.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr: journald (or the stage's log files) keeps them. One access line per
# request: who, what, status, size, time taken in microseconds, and nginx's request id.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s" request_id=%({x-request-id}i)s pid=%(p)s'
)

# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl),
# which every web process on the machine would share (and ProtectHome= forbids): systemd's
# signals (reload: HUP, stop: TERM) are all these processes need.
control_socket_disable = True

# The application is loaded in each worker, not before forking: `systemctl reload lms-web@PORT`
# (HUP) then starts workers with the new code while the old ones finish their requests.
preload_app = False
