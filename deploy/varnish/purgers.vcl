# Who may PURGE, for deploy/varnish/default.vcl: the addresses of the
# origin's servers as Varnish sees them (the site purges when content
# changes, and `manage.py purge_front_caches` from cron). Anyone else gets
# a 403. Found on vcl_path, as backend.vcl is.

acl purgers {
    "127.0.0.1";
    "::1";
}
