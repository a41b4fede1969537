// The labels a lab pod carries in the API, in one place: the Pod object shows them and a lab
// Service's selector is matched against them.

/** `web-7d9f8-abcde` → `web-7d9f8`, `nginx-0` → `nginx`: what a workload's `app` label would be. */
export function appLabel(name: string): string {
	const i = name.lastIndexOf('-');
	return i > 0 ? name.slice(0, i) : name;
}

export function labPodLabels(pod: {name: string}): Record<string, string> {
	return {app: appLabel(pod.name), run: pod.name};
}
