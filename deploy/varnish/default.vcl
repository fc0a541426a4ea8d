# Side by Side behind Varnish 7 with varnish-modules (Debian: varnish,
# varnish-modules). docs/caching.md says how to run it; each knob is
# described where it is set.
#
#   varnishd -a :80 -f /etc/varnish/side-by-side/default.vcl \
#            -p vcl_path=/etc/varnish/side-by-side -s malloc,1g
#
# The origin says what may be kept and for how long (Cache-Control), and
# which keys each page carries (xkey); it purges those keys when content
# changes (PURGE with xkey-purge, from FRONT_CACHE_URLS). This file keeps
# requests that would split one page into many, or leak one reader's page
# to another, away from the cache.

vcl 4.1;

import cookie;
import std;
import vsthrottle;
import xkey;

# The origin and its health check: the file a deployment edits.
include "backend.vcl";
# The addresses allowed to purge.
include "purgers.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No keys to purge (xkey-purge)"));
        }
        # Soft: a purged page is fetched afresh on its next request (see
        # req.grace below), and its old copy is still there to serve if
        # the origin fails.
        return (synth(200, "Purged " + xkey.softpurge(req.http.xkey-purge)));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Static files are the same for everyone; the origin says how long
    # they keep (a year for fingerprinted ones).
    if (req.url ~ "^/static/") {
        unset req.http.Cookie;
        return (hash);
    }
    # The editors' admin is never kept.
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization) {
        return (pass);
    }
    # Cookies: of all a browser may send (analytics, consent), the origin
    # reads two: Django's session cookie and its CSRF cookie. A request
    # with the session cookie may be staff's: passed, as it came. Without
    # it, no cookie matters to a page (the CSRF cookie serves forms that
    # post, which pass anyway).
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        cookie.keep("sessionid,csrftoken");
        set req.http.Cookie = cookie.get_string();
        if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
            return (pass);
        }
        unset req.http.Cookie;
    }
    # Tracking parameters, which the origin ignores: one page, not one per
    # campaign.
    if (req.url ~ "[?&](utm_[a-z_]*|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z_]*|fbclid|gclid)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # Parameters in a fixed order, as the origin's key has them, unless a
    # name repeats: the origin shows compared treatments in the order
    # given (?treatments=b&treatments=a is another page), and querysort
    # would sort the values of a name too.
    if (req.url ~ "\?" && req.url !~ "[?&]([^=&]+)=[^&]*&([^&]*&)*\1=") {
        set req.url = std.querysort(req.url);
    }
    if (req.restarts > 0) {
        # The origin failed this request (vcl_deliver): what was kept, up
        # to its grace (stale-if-error) old.
        set req.grace = 24h;
    } else if (std.healthy(req.backend_hint)) {
        # A page past its lifetime, or purged, is fetched while the reader
        # waits: after an edit, nobody is served the page before it.
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_miss {
    if (req.restarts > 0) {
        # The origin failed, and nothing was kept.
        return (synth(503, "Unavailable"));
    }
    call limit_origin_requests;
}

sub vcl_pass {
    call limit_origin_requests;
}

# The requests one client may send to the origin, past the cache: 20 a
# second (junk query strings are each a new address). A reader causes one
# or two a second at most; beyond, a 429.
sub limit_origin_requests {
    if (vsthrottle.is_denied("origin:" + client.identity, 20, 1s)) {
        return (synth(429, "Too Many Requests"));
    }
}

sub vcl_backend_response {
    # An answer that does not say how long it may be kept is not kept.
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Kept past its lifetime for as long as the origin allows a stale copy
    # when it fails (stale-if-error; served only then, see vcl_recv).
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"),
            beresp.grace
        );
    }
    # And for a day more to ask the origin whether it changed (If-None-Match:
    # a 304 costs the origin no render).
    set beresp.keep = 24h;
    # Varnish's built-in rules follow: no-store, private or a Set-Cookie is
    # never kept.
}

sub vcl_deliver {
    # The origin answered 5xx: once more, from what the cache kept.
    if (resp.status >= 500) {
        call retry_from_cache;
    }
    # Keys are for the cache, not for readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (obj.hits > 0) {
        if (obj.ttl <= 0s) {
            set resp.http.X-Cache = "stale";
        } else {
            set resp.http.X-Cache = "hit";
        }
    }
}

sub vcl_backend_error {
    # The origin did not answer: the reader's request goes on in vcl_synth.
    return (abandon);
}

sub vcl_synth {
    if (resp.status == 503) {
        # The origin did not answer: once more, from what the cache kept.
        call retry_from_cache;
    }
    if (resp.status == 503 || resp.status == 429) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "30";
        set resp.http.Cache-Control = "no-store";
        synthetic({"<!doctype html>
<html lang="en-gb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not available just now | Side by Side</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
</head><body><main><h1>This page is not available just now</h1>
<p>Please try again in a minute.</p></main></body></html>
"});
        return (deliver);
    }
}

# A reader's GET (not staff's) that the origin failed: asked again with the
# grace of stale-if-error (vcl_recv), and answered 503 if nothing was kept.
sub retry_from_cache {
    if (req.restarts == 0 && !req.http.Cookie
            && (req.method == "GET" || req.method == "HEAD")) {
        return (restart);
    }
}
