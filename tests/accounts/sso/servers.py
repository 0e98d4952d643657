"""Identity providers the tests start themselves, on loopback: a SAML 2.0 IdP (pysaml2) and an
OpenID Connect provider (a small server signing its ID tokens with PyJWT). Each answers over
real HTTP on 127.0.0.1, so the app and the browser talk to them as they would to Entra ID or a
SAML federation, and each signs with a key made for the test run.
"""

import base64
import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives import serialization
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import CryptoBackendXmlSec1, SecurityContext
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tests.accounts.sso.keys import make_keypair

XMLSEC = "/usr/bin/xmlsec1"
SITHS = "http://id.sambi.se/loa/loa3"
SIGNED_OUT = b"<!doctype html><html lang='sv'><title>Utloggad</title><main><h1>Utloggad</h1></main></html>"
PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


class _Server:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                idp.handle(self, "GET")

            def do_POST(self):
                idp.handle(self, "POST")

        return Handler

    @staticmethod
    def reply(handler, status=200, body=b"", content_type="text/html; charset=utf-8", headers=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


class SamlIdP(_Server):
    """pysaml2 acting as the IdP. `user` says who signs in next and how."""

    def __init__(self, tmp: Path, sp_metadata: list[str]):
        super().__init__()
        self.entity_id = f"{self.base}/idp/metadata"
        self.key_pem, self.cert_pem = make_keypair("Test IdP")
        (tmp / "idp.key").write_text(self.key_pem)
        (tmp / "idp.crt").write_text(self.cert_pem)
        self.user = {"uid": "anna.s", "mail": "anna.samordnare@regionexempel.se", "givenName": "Anna", "sn": "Samordnare"}
        self.groups = ["LB-Samordnare"]
        self.context = SITHS
        self.audience = None  # None: the SP that asked; a string: some other audience
        self.sign_with = None  # None: the IdP's key; a path: another key (a forged response)
        self.last_post = None  # (acs url, fields) of the last response the IdP made
        self.logouts = []
        conf = IdPConfig()
        conf.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC,
                "key_file": str(tmp / "idp.key"),
                "cert_file": str(tmp / "idp.crt"),
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(f"{self.base}/idp/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{self.base}/idp/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
                    }
                },
                "metadata": {"inline": sp_metadata},
            }
        )
        self.server = Server(config=conf)
        self.tmp = tmp

    def handle(self, handler, method):
        url = urlparse(handler.path)
        if url.path == "/idp/sso":
            self._sso(handler, parse_qs(url.query))
        elif url.path == "/idp/slo":
            self.logouts.append(parse_qs(url.query))
            self.reply(handler, body=SIGNED_OUT)
        else:
            self.reply(handler, 404)

    def _sso(self, handler, query):
        saml_request = query["SAMLRequest"][0]
        relay = query.get("RelayState", [""])[0]
        parsed = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        req = parsed.message
        identity = {k: [v] for k, v in self.user.items()}
        identity["groups"] = list(self.groups)
        sp = req.issuer.text
        response = self.server.create_authn_response(
            identity,
            in_response_to=req.id,
            destination=req.assertion_consumer_service_url,
            sp_entity_id=self.audience or sp,
            name_id=self._name_id(),
            sign_assertion=True,
            sign_response=True,
            authn={"class_ref": self.context, "authn_auth": self.entity_id},
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        xml = str(response)
        if self.sign_with:
            xml = self._resign(xml)
        fields = {"SAMLResponse": base64.b64encode(xml.encode()).decode(), "RelayState": relay}
        self.last_post = (req.assertion_consumer_service_url, fields)
        inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
        page = (
            "<!doctype html><html lang='sv'><head><title>Test-IdP</title></head><body><main><h1>Test-IdP</h1>"
            f'<form method="post" action="{html.escape(req.assertion_consumer_service_url)}">{inputs}'
            '<button type="submit">Fortsätt</button></form></main></body></html>'
        )
        self.reply(handler, body=page.encode())

    def _name_id(self):
        return NameID(format=NAMEID_FORMAT_PERSISTENT, text=self.user["uid"])

    def _resign(self, xml: str) -> str:
        """The same response signed with another key: what a forger would send."""
        key_path, cert_path = self.sign_with
        ctx = SecurityContext(CryptoBackendXmlSec1(XMLSEC), key_file=str(key_path), cert_file=str(cert_path))
        node_id = xml.split(' ID="', 1)[1].split('"', 1)[0]
        return ctx.sign_statement(xml, "urn:oasis:names:tc:SAML:2.0:protocol:Response", node_id=node_id)

    def settings_for_app(self, *, slo=True) -> dict:
        idp = {"entity_id": self.entity_id, "sso_url": f"{self.base}/idp/sso", "x509cert": self.cert_pem}
        if slo:
            idp["slo_url"] = f"{self.base}/idp/slo"
        return {
            "idp": idp,
            # Federations such as Sambi send attributes by OID; pysaml2 does the same.
            "attribute_mapping": {
                "uid": ["urn:oid:0.9.2342.19200300.100.1.1", "uid"],
                "email": ["urn:oid:0.9.2342.19200300.100.1.3", "mail"],
                "first_name": ["urn:oid:2.5.4.42", "givenName"],
                "last_name": ["urn:oid:2.5.4.4", "sn"],
            },
            "advanced": {"want_assertion_signed": True, "want_message_signed": False, "strict": True},
        }


class OidcProvider(_Server):
    """A minimal OpenID Connect provider: discovery, authorize, token, JWKS, userinfo, end session."""

    def __init__(self, client_id="levande-bibliotek", client_secret="test-secret"):  # noqa: S107 - a test server's own value
        super().__init__()
        self.issuer = self.base
        self.client_id = client_id
        self.client_secret = client_secret
        key_pem, _cert = make_keypair("Test OP")
        self.key = serialization.load_pem_private_key(key_pem.encode(), password=None)
        self.kid = uuid.uuid4().hex
        self.published_key = None  # None: publish the signing key; else publish this one (a forgery test)
        self.claims = {"sub": "u-123", "email": "erik.ekonomi@regionexempel.se", "name": "Erik Ekonomi", "groups": ["LB-Ekonomi"]}
        self.acr = "mfa"
        self.audience = None
        self.expires_in = 300
        self.codes = {}

    def id_token(self, nonce):
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + self.expires_in,
            "nonce": nonce,
            "acr": self.acr,
            **self.claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def handle(self, handler, method):
        url = urlparse(handler.path)
        if url.path == "/.well-known/openid-configuration":
            doc = {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.base}/authorize",
                "token_endpoint": f"{self.base}/token",
                "userinfo_endpoint": f"{self.base}/userinfo",
                "jwks_uri": f"{self.base}/jwks",
                "end_session_endpoint": f"{self.base}/logout",
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
            }
            self.reply(handler, body=json.dumps(doc).encode(), content_type="application/json")
        elif url.path == "/authorize":
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            code = uuid.uuid4().hex
            self.codes[code] = q.get("nonce")
            target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
            self.reply(handler, 302, headers={"Location": target})
        elif url.path == "/token":
            length = int(handler.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
            nonce = self.codes.pop(form.get("code"), None)
            body = {"access_token": uuid.uuid4().hex, "token_type": "Bearer", "expires_in": 300, "id_token": self.id_token(nonce)}
            self.reply(handler, body=json.dumps(body).encode(), content_type="application/json")
        elif url.path == "/userinfo":
            self.reply(handler, body=json.dumps(self.claims).encode(), content_type="application/json")
        elif url.path == "/jwks":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(self.published_key or self.key.public_key(), as_dict=True)
            public.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
            self.reply(handler, body=json.dumps({"keys": [public]}).encode(), content_type="application/json")
        elif url.path == "/logout":
            self.reply(handler, body=SIGNED_OUT)
        else:
            self.reply(handler, 404)

    def settings_for_app(self) -> dict:
        return {"server_url": self.base, "fetch_userinfo": True}
