"""The admin index's "Needs attention": the review queue (editorial/queue.py)
of the person looking."""

from django import template

from editorial.queue import queue_for

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context):
    return queue_for(context["request"].user)
