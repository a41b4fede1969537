// Ids that come from a runtime end up in argv (`docker inspect ID`, `crictl inspect ID`). argv
// never meets a shell, but an id like `--format=...` would still be read as a flag: only plain
// lowercase hex, as docker, containerd and cri-o all print them, goes through.
const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

export function isContainerId(value: unknown): value is string {
	return typeof value === 'string' && CONTAINER_ID.test(value);
}
