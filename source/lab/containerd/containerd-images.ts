// No registry can be reached: the lab's images are built here, as one OCI image layout, from
// busybox-static, and imported with `ctr images import` into containerd's k8s.io namespace, where
// the CRI finds them. One layer (busybox and its links) serves every image; each image differs only
// in its name and its command: the pause sleeps, the "nginx" serves HTTP, the sidecar sleeps.
import {createHash} from 'node:crypto';
import {copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Result} from '../../core/types.js';
import {describeFailure, runCommand} from '../run-command.js';
import {CONTAINERD_IMAGES, CONTAINERD_SOCKET, K8S_NAMESPACE, PAUSE_IMAGE} from './containerd-paths.js';

export const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'sleep', 'httpd', 'ip', 'ps', 'cat', 'ls', 'nc', 'ping'];

/** The images the lab's pods name (lab-pod.ts planPod), with the command each runs. */
export const LAB_IMAGES: ReadonlyArray<{name: string; cmd: string[]}> = [
	{name: PAUSE_IMAGE, cmd: ['/bin/sleep', 'infinity']},
	// Not on 80: every lab pod's 80 and 81 belong to the node's answer daemon (services/answer-daemon.ts).
	{name: 'docker.io/library/nginx:1.27', cmd: ['/bin/httpd', '-f', '-p', '8080', '-h', '/']},
	{name: 'docker.io/library/busybox:1.36', cmd: ['/bin/sleep', 'infinity']},
];

interface Blob {
	digest: string;
	size: number;
}

function ociArch(): string {
	return process.arch === 'x64' ? 'amd64' : process.arch;
}

function writeBlob(layout: string, data: Buffer): Blob {
	const hex = createHash('sha256').update(data).digest('hex');
	writeFileSync(join(layout, 'blobs', 'sha256', hex), data);
	return {digest: `sha256:${hex}`, size: data.length};
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

export async function buildLabImages(): Promise<Result<string>> {
	const rootfs = join(CONTAINERD_IMAGES, 'rootfs');
	const layout = join(CONTAINERD_IMAGES, 'layout');
	mkdirSync(join(rootfs, 'bin'), {recursive: true});
	mkdirSync(join(layout, 'blobs', 'sha256'), {recursive: true});
	try {
		copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
	} catch {
		return {ok: false, reason: `${BUSYBOX} is missing: the lab's images are built from it`, hint: 'apt-get install busybox-static'};
	}

	for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
	const layerTar = join(CONTAINERD_IMAGES, 'layer.tar');
	// Fixed owners and times: the same busybox gives the same layer digest on every machine.
	const tarArgv = ['tar', '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', layerTar, '.'];
	const tarred = await runCommand(tarArgv);
	if (!tarred.ok) return {ok: false, reason: `building the lab image layer: ${describeFailure(tarArgv, tarred)}`, hint: 'is GNU tar installed?'};
	const layer = writeBlob(layout, readFileSync(layerTar));

	const manifests = LAB_IMAGES.map(image => {
		const config = writeBlob(layout, json({
			architecture: ociArch(),
			os: 'linux',
			// The name as a label too: two images with one config would be one image to the CRI, which then names either.
			config: {Cmd: image.cmd, Env: ['PATH=/bin'], WorkingDir: '/', Labels: {'org.opencontainers.image.ref.name': image.name}},
			rootfs: {type: 'layers', diff_ids: [layer.digest]},
		}));
		const manifest = writeBlob(layout, json({
			schemaVersion: 2,
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
			config: {mediaType: 'application/vnd.oci.image.config.v1+json', ...config},
			layers: [{mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer}],
		}));
		return {
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
			...manifest,
			annotations: {'io.containerd.image.name': image.name, 'org.opencontainers.image.ref.name': image.name.replace(/^.*:/, '')},
		};
	});
	writeFileSync(join(layout, 'oci-layout'), JSON.stringify({imageLayoutVersion: '1.0.0'}));
	writeFileSync(join(layout, 'index.json'), JSON.stringify({schemaVersion: 2, manifests}));
	const archive = join(CONTAINERD_IMAGES, 'lab-images.oci.tar');
	const packArgv = ['tar', '-C', layout, '-cf', archive, 'oci-layout', 'index.json', 'blobs'];
	const packed = await runCommand(packArgv);
	if (!packed.ok) return {ok: false, reason: `packing the lab images: ${describeFailure(packArgv, packed)}`, hint: 'is GNU tar installed?'};
	return {ok: true, value: archive};
}

/** `ctr images import` into k8s.io, the namespace the CRI plugin serves. */
export async function importLabImages(archive: string): Promise<Result<void>> {
	const argv = ['ctr', '--address', CONTAINERD_SOCKET, '--namespace', K8S_NAMESPACE, 'images', 'import', archive];
	const r = await runCommand(argv, {timeoutMs: 60_000});
	if (!r.ok) return {ok: false, reason: `importing the lab images: ${describeFailure(argv, r)}`, hint: 'ctr comes with Debian\'s containerd package'};
	return {ok: true, value: undefined};
}
