"""Static checks of the deployment examples in deploy/ (no container or nginx runs in the test suite): the
production settings the issue asks for are there, the examples hold no secret, and the files parse."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_production_streamlit_config():
    config = tomllib.loads((DEPLOY / "streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"  # errors are logged server-side, not shown
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 200
    assert config["server"]["enableStaticServing"] is True  # Leaflet is served locally
    assert config["browser"]["gatherUsageStats"] is False
    nginx = (DEPLOY / "nginx" / "incidents.conf").read_text()
    assert f"client_max_body_size {config['server']['maxUploadSize']}m;" in nginx


def test_secrets_example_holds_placeholders_only():
    text = (DEPLOY / "streamlit" / "secrets.toml.example").read_text()
    secrets = tomllib.loads(text)
    for key in ("cookie_secret", "client_id", "client_secret"):
        assert secrets["auth"][key].startswith("REPLACE"), key
    assert secrets["incidents"]["oidc_unknown"] in ("deny", "viewer")
    assert "REPLACE" in (DEPLOY / "container" / "env.example").read_text()
    ignored = (DEPLOY / ".gitignore").read_text().split()
    assert "container/.env" in ignored and "container/secrets.toml" in ignored


def test_nginx_example_proxies_websockets_to_several_sticky_processes():
    nginx = (DEPLOY / "nginx" / "incidents.conf").read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in nginx
    assert "proxy_set_header Connection $connection_upgrade;" in nginx
    assert "ip_hash;" in nginx and len(re.findall(r"server 127\.0\.0\.1:85\d\d", nginx)) >= 2
    assert "location = /_stcore/health" in nginx and "ssl_certificate" in nginx


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx not installed")
def test_nginx_example_passes_nginx_t(tmp_path):
    conf = (DEPLOY / "nginx" / "incidents.conf").read_text()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp_path / "key.pem",
                    "-out", tmp_path / "cert.pem", "-days", "1", "-subj", "/CN=localhost"], check=True,
                   capture_output=True)
    conf = re.sub(r"/etc/letsencrypt/live/[^;]+/fullchain.pem", str(tmp_path / "cert.pem"), conf)
    conf = re.sub(r"/etc/letsencrypt/live/[^;]+/privkey.pem", str(tmp_path / "key.pem"), conf)
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "incidents.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/b; proxy_temp_path {tmp_path}/p; "
        f"fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s; "
        f"include {tmp_path}/incidents.conf; }}\n")
    done = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").iterdir()))
def test_systemd_units_parse(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / unit)
    assert parser.has_section("Unit")
    if unit.endswith(".service"):
        assert parser.has_option("Service", "ExecStart")
        assert parser.get("Service", "User", fallback="incidents") == "incidents"  # never root
    if unit == "incidents@.service":
        assert "--server.address 127.0.0.1 --server.port %i" in parser.get("Service", "ExecStart")
        assert parser.get("Service", "EnvironmentFile") == "/etc/incidents/incidents.env"


def test_health_endpoint_is_monitored():
    assert "/_stcore/health" in (DEPLOY / "healthcheck.sh").read_text()
    assert "healthcheck.sh" in (DEPLOY / "systemd" / "incidents-health.service").read_text()
    assert (DEPLOY / "healthcheck.sh").stat().st_mode & 0o111
    assert "/_stcore/health" in (DEPLOY / "container" / "Dockerfile").read_text()
    assert "/_stcore/health" in (DEPLOY / "container" / "compose.yaml").read_text()


def test_container_files():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DEPLOY / "container" / "compose.yaml").read_text())
    assert set(compose["services"]) == {"db", "migrate", "app"}
    assert compose["services"]["db"]["image"].startswith("postgis/postgis:")
    assert compose["services"]["app"]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    dockerfile = (DEPLOY / "container" / "Dockerfile").read_text()
    root = DEPLOY.parent
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (root / source).exists(), source
    assert "USER incidents" in dockerfile
