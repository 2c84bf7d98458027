"""A local stand-in for Stripe's HTTP API, so tests drive the real `stripe` library with no network."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

WEBHOOK_SECRET = "whsec_test_local_secret"  # noqa: S105 - a test secret for a local stand-in


class StripeStandIn(BaseHTTPRequestHandler):
    """Answers POST /v1/checkout/sessions as Stripe does, and remembers what it was asked."""

    created: list = []

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        if self.path != "/v1/checkout/sessions":
            self._send(404, {"error": {"type": "invalid_request_error", "message": "unknown path"}})
            return
        form = {k: v[0] for k, v in parse_qs(body).items()}
        number = len(self.created) + 1
        session = {
            "id": f"cs_test_{number}",
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/cs_test_{number}",
            "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
            "currency": form["line_items[0][price_data][currency]"],
            "payment_status": "unpaid",
            "client_reference_id": form.get("client_reference_id"),
            "metadata": {"invoice": form.get("metadata[invoice]")},
        }
        self.created.append({"form": form, "auth": self.headers.get("Authorization"), "session": session})
        self._send(200, session)

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_local")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def serve(settings):
    """Serve the stand-in on a free local port and point Bodymap's Stripe settings at it (the
    `stripe_api` fixture)."""
    StripeStandIn.created = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StripeStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_ENABLED = True
    settings.STRIPE_SECRET_KEY = "sk_test_local"  # noqa: S105 - never leaves this machine
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield StripeStandIn
    server.shutdown()
    server.server_close()
