"""What the rendered Kubernetes manifests promise, overlay by overlay: every workload
locked down and observable, traffic denied unless allowed, CardAdmin never exposed."""

from __future__ import annotations

import ipaddress

import pytest

from devtools.deploy_checks import IMAGE_PREFIX, SERVICES

OVERLAYS = ("dev", "prod")
SERVICE_PORTS = {"auth": 50051, "portal": 50052, "roles": 50053, "primaweb": 50054}
WORKLOAD_KINDS = ("Deployment", "StatefulSet")


def objects(rendered, overlay, kind):
    return [d for d in rendered[overlay] if d["kind"] == kind]


def one(rendered, overlay, kind, name):
    found = [d for d in objects(rendered, overlay, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"{overlay}: {kind}/{name}"
    return found[0]


def workloads(rendered, overlay):
    return [d for d in rendered[overlay] if d["kind"] in WORKLOAD_KINDS]


def pod_labels(workload):
    return workload["spec"]["template"]["metadata"]["labels"]


def containers(workload):
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def selects(selector, labels):
    """Kubernetes label-selector semantics (matchLabels and In/NotIn/Exists)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def policies_for(rendered, overlay, labels):
    return [p for p in objects(rendered, overlay, "NetworkPolicy") if selects(p["spec"]["podSelector"], labels)]


def allowed_ingress_peers(rendered, overlay, name, port):
    """Pod names (same namespace) allowed into `name` on `port`, and namespace selectors."""
    target = pod_labels(one(rendered, overlay, kind_of(rendered, overlay, name), name))
    pods, namespaces = set(), []
    for policy in policies_for(rendered, overlay, target):
        if "Ingress" not in policy["spec"]["policyTypes"]:
            continue
        for rule in policy["spec"].get("ingress") or []:
            ports = [p.get("port") for p in rule.get("ports") or []]
            if ports and port not in ports:
                continue
            for peer in rule.get("from") or [{}]:
                if "namespaceSelector" in peer:
                    namespaces.append(peer["namespaceSelector"])
                    continue
                for workload in workloads(rendered, overlay):
                    if selects(peer.get("podSelector", {}), pod_labels(workload)):
                        pods.add(workload["metadata"]["name"])
    return pods, namespaces


def egress_destinations(rendered, overlay, name):
    """(pod names, ip blocks) the policies let `name` reach, DNS left aside."""
    source = pod_labels(one(rendered, overlay, kind_of(rendered, overlay, name), name))
    pods, blocks = set(), []
    for policy in policies_for(rendered, overlay, source):
        for rule in policy["spec"].get("egress") or []:
            if {p.get("port") for p in rule.get("ports") or []} == {53}:
                continue
            for peer in rule.get("to") or []:
                if "ipBlock" in peer:
                    blocks.append(peer["ipBlock"]["cidr"])
                elif "podSelector" in peer and "namespaceSelector" not in peer:
                    for workload in workloads(rendered, overlay):
                        if selects(peer["podSelector"], pod_labels(workload)):
                            pods.add(workload["metadata"]["name"])
                else:
                    pytest.fail(f"{overlay}: {name} may reach another namespace: {peer}")
    return pods, blocks


def kind_of(rendered, overlay, name):
    for workload in workloads(rendered, overlay):
        if workload["metadata"]["name"] == name:
            return workload["kind"]
    pytest.fail(f"{overlay}: no workload {name}")


# --- every workload ----------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_workload_has_probes_resources_and_a_locked_down_security_context(rendered, overlay):
    assert workloads(rendered, overlay)
    for workload in workloads(rendered, overlay):
        name = f"{overlay}: {workload['kind']}/{workload['metadata']['name']}"
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for container in containers(workload):
            where = f"{name} container {container['name']}"
            if container in pod["containers"]:
                assert "readinessProbe" in container and "livenessProbe" in container, where
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["runAsNonRoot"] is True, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            assert "add" not in security["capabilities"], where
            assert security["seccompProfile"]["type"] == "RuntimeDefault", where
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, f"{where}: a writable /tmp on a read-only root filesystem"  # noqa: S108


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_workload_runs_as_its_own_service_account(rendered, overlay):
    accounts = {a["metadata"]["name"]: a for a in objects(rendered, overlay, "ServiceAccount")}
    for workload in workloads(rendered, overlay):
        name = workload["metadata"]["name"]
        assert workload["spec"]["template"]["spec"]["serviceAccountName"] == name
        assert accounts[name]["automountServiceAccountToken"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_grpc_services_use_grpc_probes_and_the_gateway_healthz(rendered, overlay):
    # The probes use the plaintext, health-only listener: the kubelet has no client certificate.
    for service in SERVICE_PORTS:
        container = one(rendered, overlay, "Deployment", service)["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["HEALTH_PORT"] == "9095"
        assert container["readinessProbe"]["grpc"]["port"] == 9095
        assert container["livenessProbe"]["grpc"]["port"] == 9095
    gateway = one(rendered, overlay, "Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_the_projects_with_a_fixed_tag(rendered, overlay):
    for service in SERVICES:
        for container in containers(one(rendered, overlay, "Deployment", service)):
            image = container["image"]
            assert image.startswith(f"{IMAGE_PREFIX}{service}:"), image
            assert not image.endswith(":latest"), image


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_workload_has_a_disruption_budget(rendered, overlay):
    budgets = objects(rendered, overlay, "PodDisruptionBudget")
    for workload in workloads(rendered, overlay):
        assert any(selects(b["spec"]["selector"], pod_labels(workload)) for b in budgets), workload["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_stateless_services_autoscale_and_auth_stays_single(rendered, overlay):
    scaled = {h["spec"]["scaleTargetRef"]["name"] for h in objects(rendered, overlay, "HorizontalPodAutoscaler")}
    assert scaled == {"gateway", "portal", "roles", "primaweb"}
    for name in scaled:
        assert "replicas" not in one(rendered, overlay, "Deployment", name)["spec"], "the HPA owns the count"
    auth = one(rendered, overlay, "Deployment", "auth")
    assert auth["spec"]["replicas"] == 1 and auth["spec"]["strategy"]["type"] == "Recreate"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_reach_pods_as_files_never_as_variables(rendered, overlay):
    for workload in workloads(rendered, overlay):
        for container in containers(workload):
            for env in container.get("env", []):
                assert "secretKeyRef" not in env.get("valueFrom", {}), (workload["metadata"]["name"], env["name"])
            for source in container.get("envFrom", []):
                assert "secretRef" not in source


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_prometheus_scrapes_every_service(rendered, overlay):
    for service in SERVICES:
        annotations = one(rendered, overlay, "Deployment", service)["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/path"] == "/metrics"
        assert annotations["prometheus.io/port"] == "9100"  # never the gateway's public port


# --- CardAdmin -----------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_card_admin_port_is_in_no_service_and_no_container_port(rendered, overlay):
    for service in objects(rendered, overlay, "Service"):
        for port in service["spec"]["ports"]:
            assert 50061 not in (port["port"], port.get("targetPort")), service["metadata"]["name"]
    for workload in workloads(rendered, overlay):
        for container in containers(workload):
            assert all(p["containerPort"] != 50061 for p in container.get("ports", []))
    for policy in objects(rendered, overlay, "NetworkPolicy"):
        assert "50061" not in str(policy["spec"]), policy["metadata"]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_card_admin_listens_on_the_pod_loopback_only(rendered, overlay):
    env = {e["name"]: e.get("value") for e in one(rendered, overlay, "Deployment", "auth")["spec"]["template"]["spec"][
        "containers"][0]["env"]}
    assert env["AUTH_ADMIN_HOST"] == "127.0.0.1"


# --- network policies ------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_deny_everything_by_default(rendered, overlay):
    deny = one(rendered, overlay, "NetworkPolicy", "default-deny-all")
    assert deny["spec"]["podSelector"] == {}
    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert not deny["spec"].get("ingress") and not deny["spec"].get("egress")
    for policy in objects(rendered, overlay, "NetworkPolicy"):
        for rule in policy["spec"].get("ingress") or []:
            assert rule.get("from"), f"{policy['metadata']['name']}: an ingress rule open to every source"
        for rule in policy["spec"].get("egress") or []:
            assert rule.get("to"), f"{policy['metadata']['name']}: an egress rule open to every destination"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_reaches_the_services(rendered, overlay):
    for service, port in SERVICE_PORTS.items():
        pods, namespaces = allowed_ingress_peers(rendered, overlay, service, port)
        assert pods == {"gateway"}, service
        assert namespaces == [], service
        metrics_pods, metrics_namespaces = allowed_ingress_peers(rendered, overlay, service, 9100)
        assert metrics_pods == set() and len(metrics_namespaces) == 1
    pods, blocks = egress_destinations(rendered, overlay, "gateway")
    assert pods == set(SERVICE_PORTS) and blocks == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_is_reached_by_the_ingress_controller(rendered, overlay):
    pods, namespaces = allowed_ingress_peers(rendered, overlay, "gateway", 8080)
    assert pods == set()
    labels = [ns["matchLabels"]["kubernetes.io/metadata.name"] for ns in namespaces]
    assert "ingress-nginx" in labels


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_auth_reaches_redis(rendered, overlay):
    pods, namespaces = allowed_ingress_peers(rendered, overlay, "redis", 6379)
    assert pods == {"auth"} and namespaces == []
    for workload in workloads(rendered, overlay):
        name = workload["metadata"]["name"]
        reached, _ = egress_destinations(rendered, overlay, name)
        assert ("redis" in reached) == (name == "auth"), name


def test_dev_database_is_reached_by_roles_and_primaweb_only(rendered):
    pods, namespaces = allowed_ingress_peers(rendered, "dev", "postgres", 5432)
    assert pods == {"roles", "primaweb"} and namespaces == []
    for workload in workloads(rendered, "dev"):
        name = workload["metadata"]["name"]
        reached, blocks = egress_destinations(rendered, "dev", name)
        assert ("postgres" in reached) == (name in ("roles", "primaweb")), name
        assert blocks == []


def test_prod_database_is_external_and_reached_by_roles_and_primaweb_only(rendered):
    assert not [w for w in workloads(rendered, "prod") if w["metadata"]["name"] == "postgres"]
    for workload in workloads(rendered, "prod"):
        name = workload["metadata"]["name"]
        _, blocks = egress_destinations(rendered, "prod", name)
        if name in ("roles", "primaweb", "auth"):  # auth: the eID OCSP responders
            assert len(blocks) == 1
            network = ipaddress.ip_network(blocks[0])
            assert network.prefixlen >= 16, "the database and OCSP ranges should be narrow"
        else:
            assert blocks == [], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_has_a_policy_of_its_own(rendered, overlay):
    for workload in workloads(rendered, overlay):
        own = [p for p in policies_for(rendered, overlay, pod_labels(workload)) if p["spec"]["podSelector"]]
        assert own, workload["metadata"]["name"]


# --- state, ingress, certificates ----------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_redis_keeps_an_append_only_file_fsynced_always_on_a_volume(rendered, overlay):
    redis = one(rendered, overlay, "StatefulSet", "redis")
    args = " ".join(redis["spec"]["template"]["spec"]["containers"][0]["args"])
    assert "--appendonly yes" in args and "--appendfsync always" in args
    assert redis["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_serves_the_gateway_over_tls(rendered, overlay):
    ingress = one(rendered, overlay, "Ingress", "gateway")
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    assert hosts and hosts <= set(ingress["spec"]["tls"][0]["hosts"])
    assert ingress["spec"]["tls"][0]["secretName"].startswith("ssp-ingress-tls")
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            assert path["backend"]["service"]["name"] == "gateway"


def test_prod_certificates_come_from_cert_manager_for_every_service_and_the_ingress(rendered):
    certificates = {c["spec"]["secretName"]: c for c in objects(rendered, "prod", "Certificate")}
    assert set(certificates) == {f"ssp-{s}-tls" for s in SERVICES} | {"ssp-ingress-tls", "ssp-certificate-ingress-tls"}
    for service in SERVICES:
        spec = certificates[f"ssp-{service}-tls"]["spec"]
        assert spec["issuerRef"]["name"] == "ssp-internal-ca"
        assert "client auth" in spec["usages"]
        if service != "gateway":
            assert "server auth" in spec["usages"] and service in spec["dnsNames"]
    assert certificates["ssp-ingress-tls"]["spec"]["issuerRef"]["name"] != "ssp-internal-ca"
    assert not objects(rendered, "prod", "Secret"), "prod secrets are made outside the repository"


def test_dev_secrets_are_generated_from_deploy_time_files(rendered):
    names = {s["metadata"]["name"].rsplit("-", 1)[0] for s in objects(rendered, "dev", "Secret")}
    assert {f"ssp-{s}-tls" for s in SERVICES} | {"ssp-ingress-tls", "ssp-gateway", "ssp-postgres"} <= names


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_namespace_enforces_the_restricted_pod_security_standard(rendered, overlay):
    (namespace,) = objects(rendered, overlay, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for doc in rendered[overlay]:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"]


def env_of(workload, container_name):
    container = next(c for c in workload["spec"]["template"]["spec"]["containers"] if c["name"] == container_name)
    return {e["name"]: e.get("value") for e in container.get("env") or []}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_certificate_ingress_asks_for_a_certificate_and_leaves_the_judgement_to_auth(rendered, overlay):
    ingress = one(rendered, overlay, "Ingress", "gateway-certificate")
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/auth-tls-verify-client"] == "optional_no_ca"
    assert notes["nginx.ingress.kubernetes.io/auth-tls-pass-certificate-to-upstream"] == "true"
    namespace = one(rendered, overlay, "Namespace", ingress["metadata"]["namespace"])["metadata"]["name"]
    assert notes["nginx.ingress.kubernetes.io/auth-tls-secret"] == f"{namespace}/eid-client-cas"
    host = ingress["spec"]["rules"][0]["host"]
    assert host.startswith("*.") and ingress["spec"]["tls"][0]["hosts"] == [host]
    # the gateway makes attempt hosts under that wildcard, and listens for it on its own port
    gateway = one(rendered, overlay, "Deployment", "gateway")
    env = env_of(gateway, "gateway")
    assert env["CERTIFICATE_LOGIN_URL"] == "https://{attempt}" + host[1:]
    service = one(rendered, overlay, "Service", "gateway")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    target = next(p for p in service["spec"]["ports"] if p["name"] == backend["port"]["name"])
    ports = {p["name"]: p["containerPort"] for p in gateway["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert int(env["GATEWAY_TERMINATOR_BIND"].rsplit(":", 1)[1]) == ports[target["targetPort"]] != ports["http"]
    # the main Ingress never reaches that listener, and only the ingress controller may
    main = one(rendered, overlay, "Ingress", "gateway")
    assert {p["backend"]["service"]["port"]["name"] for r in main["spec"]["rules"] for p in r["http"]["paths"]} \
        == {"http"}
    pods, namespaces = allowed_ingress_peers(rendered, overlay, "gateway", ports[target["targetPort"]])
    assert pods == set() and [n["matchLabels"]["kubernetes.io/metadata.name"] for n in namespaces] == [
        "ingress-nginx"]


def test_prod_offers_no_simulated_reader_and_keeps_no_demo_card(rendered):
    auth = one(rendered, "prod", "Deployment", "auth")
    env = env_of(auth, "auth")
    assert env["EID_SIMULATED_READERS"] == "false" and "EID_DEMO_DIR" not in env
    assert not auth["spec"]["template"]["spec"].get("initContainers")
    assert not [c for c in objects(rendered, "prod", "PersistentVolumeClaim") if "eid" in c["metadata"]["name"]]
    assert env["WEBEID_ORIGIN"] == env_of(one(rendered, "prod", "Deployment", "gateway"), "gateway")[
        "GATEWAY_PUBLIC_URL"]
    assert env["WEBEID_OCSP"] == "true"  # no CRL files in production: OCSP tells revocation
    secret_volumes = {v["secret"]["secretName"] for v in auth["spec"]["template"]["spec"]["volumes"] if "secret" in v}
    assert "eid-client-cas" in secret_volumes
    assert env_of(one(rendered, "dev", "Deployment", "auth"), "auth").get("EID_SIMULATED_READERS") != "false"
