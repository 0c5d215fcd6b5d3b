"""What several apps share: client address, rate limiting, exports, protected files; and what
operating the site needs: request ids and the request log, /healthz, the error page, and locks
that let periodic commands run once across machines."""
