"""The rendered dev overlay's pods run by podman, the way a kubelet would run them, for the
container tests: no API server can be had here and `podman kube play` (4.3) crashes on
Secret volumes (deploy/README.md, "What is proven"). The manifests are read, not
rewritten: each workload's containers run with their image, command, environment,
security context (user, group, fsGroup, read-only root, capabilities), emptyDir,
Secret, ConfigMap and PersistentVolumeClaim volumes, init containers first; the readiness
probes (grpc, httpGet, exec) are then run as the kubelet runs them, from outside the pod
for grpc and httpGet. A network alias per workload stands for its Service (same name).

What this does not exercise: Services and their ports, NetworkPolicies, autoscalers,
disruption budgets, the Ingress, probes' timing, resource limits, several replicas."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import grpc
import requests
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devtools import deploy_checks
from tests.container.podman import PROJECT, podman
from tests.support import ROOT

NETWORK = f"{PROJECT}-k8s"


def render_dev(secrets: Path, work: Path) -> list[dict]:
    """The dev overlay rendered with the deploy-time files of `secrets` (the layout of
    ./run/compose-secrets is the overlay's); the files compose lacks (the ingress and
    terminator certificates, the eID client CAs) get deploy_checks' placeholders."""
    copy = work / "k8s"
    shutil.copytree(ROOT / "deploy" / "k8s", copy)
    shutil.copytree(secrets, copy / "overlays" / "dev" / "secrets", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("ca"))  # the CA key stays out, as the README says
    deploy_checks.placeholder_secret_files(copy)
    rendered = subprocess.run([*deploy_checks.kustomize_command(), str(copy / "overlays" / "dev")],
                              capture_output=True, text=True, timeout=120, check=True).stdout
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


class DevPods:
    def __init__(self, docs: list[dict], images: dict[str, str], work: Path):
        self.docs = docs
        self.images = images  # the manifests' image -> the local one (the images cannot be pulled)
        self.work = work
        self.objects = {(d["kind"], d["metadata"]["name"]): d for d in docs}
        self.containers: dict[str, str] = {}  # workload -> its main container

    def workloads(self) -> list[dict]:
        # StatefulSets (Redis, PostgreSQL) first: the kubelet would restart the others until
        # they are there; here they simply come first.
        kinds = ("StatefulSet", "Deployment")
        return sorted((d for d in self.docs if d["kind"] in kinds), key=lambda d: kinds.index(d["kind"]))

    # --- volumes ---------------------------------------------------------------------------

    def _files(self, folder: Path, files: dict[str, bytes], mode: int, group: int) -> Path:
        folder.mkdir(parents=True)
        for key, data in files.items():
            path = folder / key
            path.write_bytes(data)
            os.chown(path, 0, group)  # fsGroup: the kubelet gives the files the pod's group
            path.chmod(mode)
        os.chown(folder, 0, group)
        folder.chmod(0o755)
        return folder

    def _volume_args(self, name: str, spec: dict, mount: dict, group: int) -> list[str]:
        target = mount["mountPath"]
        ro = ",ro" if mount.get("readOnly") else ""
        if "emptyDir" in spec:
            size = spec["emptyDir"].get("sizeLimit", "64Mi").replace("Mi", "m")
            return ["--tmpfs", f"{target}:rw,size={size},mode=1777,notmpcopyup"]
        if "secret" in spec:
            secret = self._object("Secret", spec["secret"]["secretName"])
            files = {k: base64.b64decode(v) for k, v in (secret.get("data") or {}).items()}
            folder = self._files(self.work / name / mount["name"], files, spec["secret"].get("defaultMode", 0o644),
                                 group)
            return ["-v", f"{folder}:{target}:ro"]
        if "configMap" in spec:
            config = self._object("ConfigMap", spec["configMap"]["name"])
            files = {k: v.encode() for k, v in (config.get("data") or {}).items()}
            folder = self._files(self.work / name / mount["name"], files, spec["configMap"].get("defaultMode", 0o644),
                                 group)
            return ["-v", f"{folder}:{target}:ro"]
        if "persistentVolumeClaim" in spec or "claim" in spec:
            # A folder of the host, group-owned as fsGroup makes a fresh volume: a named podman
            # volume would take the owner and mode of the image's folder at its first mount.
            folder = self.work / name / f"claim-{mount['name']}"
            if not folder.exists():
                folder.mkdir(parents=True)
                os.chown(folder, 0, group)
                folder.chmod(0o2775)
            return ["-v", f"{folder}:{target}{ro}"]
        raise AssertionError(f"{name}: volume {mount['name']} of a kind not handled here: {sorted(spec)}")

    def _object(self, kind: str, name: str) -> dict:
        found = self.objects.get((kind, name))
        assert found, f"{kind} {name} is not in the rendered overlay"
        return found

    # --- containers ------------------------------------------------------------------------

    def _run_args(self, workload: dict, container: dict) -> list[str]:
        name = workload["metadata"]["name"]
        pod = workload["spec"]["template"]["spec"]
        context = {**(pod.get("securityContext") or {}), **(container.get("securityContext") or {})}
        group = int(pod.get("securityContext", {}).get("fsGroup", context.get("runAsGroup", 0)))
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        for claim in workload["spec"].get("volumeClaimTemplates") or []:
            volumes[claim["metadata"]["name"]] = {"claim": claim}
        args = ["--network", NETWORK, "--read-only-tmpfs=false",
                "--user", f"{context['runAsUser']}:{context['runAsGroup']}", "--group-add", str(group)]
        if context.get("readOnlyRootFilesystem"):
            args.append("--read-only")
        if "ALL" in (context.get("capabilities") or {}).get("drop", []):
            args += ["--cap-drop", "ALL"]
        if context.get("allowPrivilegeEscalation") is False:
            args += ["--security-opt", "no-new-privileges"]
        for item in container.get("env") or []:
            assert "value" in item, f"{name}: env {item['name']} from a source not handled here"
            args += ["-e", f"{item['name']}={item['value']}"]
        for mount in container.get("volumeMounts") or []:
            args += self._volume_args(name, volumes[mount["name"]], mount, group)
        if container.get("command"):
            args += ["--entrypoint", json.dumps(container["command"])]
        args.append(self.images.get(container["image"], container["image"]))
        return args + list(container.get("args") or [])

    def start(self) -> None:
        podman("network", "create", NETWORK)
        for workload in self.workloads():
            name = workload["metadata"]["name"]
            pod = workload["spec"]["template"]["spec"]
            for init in pod.get("initContainers") or []:
                podman("run", "--rm", *self._run_args(workload, init), timeout=180)
            (main,) = pod["containers"]
            container = f"{NETWORK}-{name}"
            podman("run", "-d", "--name", container, "--network-alias", name, *self._run_args(workload, main))
            self.containers[name] = container

    # --- probes ----------------------------------------------------------------------------

    def address(self, name: str) -> str:
        found = podman("inspect", "--format", "{{json .NetworkSettings.Networks}}", self.containers[name]).stdout
        return json.loads(found)[NETWORK]["IPAddress"]

    def ready(self, workload: dict) -> bool:
        name = workload["metadata"]["name"]
        (main,) = workload["spec"]["template"]["spec"]["containers"]
        probe = main["readinessProbe"]
        ports = {p.get("name"): p["containerPort"] for p in main.get("ports") or []}
        if "exec" in probe:
            return podman("exec", self.containers[name], *probe["exec"]["command"], check=False).returncode == 0
        if "grpc" in probe:
            channel = grpc.insecure_channel(f"{self.address(name)}:{probe['grpc']['port']}")
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
                return reply.status == health_pb2.HealthCheckResponse.SERVING
            except grpc.RpcError:
                return False
            finally:
                channel.close()
        port = probe["httpGet"]["port"]
        port = ports[port] if isinstance(port, str) else port
        try:
            return requests.get(f"http://{self.address(name)}:{port}{probe['httpGet']['path']}", timeout=3).ok
        except requests.RequestException:
            return False

    def wait_ready(self, timeout: float = 120) -> float:
        started = time.monotonic()
        waiting = self.workloads()
        while waiting:
            waiting = [w for w in waiting if not self.ready(w)]
            if waiting and time.monotonic() - started > timeout:
                names = [w["metadata"]["name"] for w in waiting]
                logs = {n: podman("logs", "--tail", "15", self.containers[n], check=False) for n in names}
                logs = {n: found.stdout + found.stderr for n, found in logs.items()}
                raise AssertionError(f"not ready after {timeout:.0f} s: {names}\n{logs}")
            time.sleep(1)
        return time.monotonic() - started

    def remove(self) -> None:
        found = podman("ps", "-a", "--format", "{{.Names}}").stdout.split()
        mine = [c for c in found if c.startswith(NETWORK + "-")]
        if mine:
            podman("rm", "--force", "--time", "2", *mine, check=False)
        podman("network", "rm", "--force", NETWORK, check=False)
