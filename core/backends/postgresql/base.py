"""
Django's PostgreSQL backend, with a limit on how long it waits for an
answer.

`connect_timeout` bounds connecting, and the server's `statement_timeout`
cancels a slow query (both in OPTIONS, config/settings.py). Neither helps
when the server stops answering altogether (stopped, hung, or a network
that keeps the connection open): a query sent on a connection opened
before then waits for as long as that lasts, and so does Django's health
check of a kept connection, which runs a query of its own. psycopg can
stop waiting after a timeout; this backend gives every wait on the
connection that timeout (OPTIONS["answer_timeout"], in seconds), and
closes a connection that did not answer, since it is then in the middle
of a query and of no further use.
"""

import psycopg
from django.db.backends.postgresql import base


class AnsweringConnection(psycopg.Connection):
    """A psycopg connection that waits at most `answer_timeout` seconds
    for each answer."""

    answer_timeout = None

    def wait(self, gen, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.answer_timeout
        try:
            return super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError as error:
            if self.pgconn.transaction_status != psycopg.pq.TransactionStatus.ACTIVE:
                raise  # an answer came: an error of the server's
            self.pgconn.finish()  # still waiting for the answer: give up on it
            raise psycopg.OperationalError(
                f"the database did not answer within {kwargs['timeout']} s"
            ) from error


class Psycopg:
    """psycopg as the backend sees it, connecting with AnsweringConnection."""

    connect = AnsweringConnection.connect

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = Psycopg()

    def get_connection_params(self):
        params = super().get_connection_params()
        self.answer_timeout = params.pop("answer_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.answer_timeout = self.answer_timeout
        return connection
