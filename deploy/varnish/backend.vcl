# The origin, for deploy/varnish/default.vcl: the one file a deployment
# edits. Varnish finds it on its vcl_path (varnishd -p vcl_path=...), so a
# copy of it in a folder listed first takes its place.

backend origin {
    # Where gunicorn listens (GUNICORN_BIND).
    .host = "127.0.0.1";
    .port = "8000";
    # The Host header of the health checks below: a name in
    # DJANGO_ALLOWED_HOSTS (readers' requests keep their own).
    .host_header = "127.0.0.1";
    # gunicorn accepts at once or not at all; a page takes well under a
    # second, and gunicorn gives up on a worker after 30 s (GUNICORN_TIMEOUT).
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # Healthy while /healthz answers 200: the origin can render pages. While
    # it is not (gunicorn down, the database down), readers get the copies
    # Varnish kept, up to stale-if-error old, and the origin is not asked.
    # Checked every 2 s; sick after 2 failures of the last 3; healthy when
    # Varnish starts.
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}
