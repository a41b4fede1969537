// The lab API's CA, server certificate and bearer token, made once per lab dir with the openssl CLI
// (Node has no API to issue certificates). kubectl and client-node then verify TLS as on a real
// cluster, against the CA in the kubeconfig.
import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describeFailure, runCommand} from '../run-command.js';

async function openssl(args: string[]): Promise<void> {
	const argv = ['openssl', ...args];
	const r = await runCommand(argv);
	if (!r.ok) throw new Error(describeFailure(argv, r));
}

export interface TlsMaterial {
	caCertPem: string;
	certPem: string;
	keyPem: string;
	token: string;
	files: {caCert: string; cert: string; key: string; token: string};
}

export function tlsFiles(dir: string): TlsMaterial['files'] {
	return {caCert: join(dir, 'api-ca.crt'), cert: join(dir, 'api-server.crt'), key: join(dir, 'api-server.key'), token: join(dir, 'api-token')};
}

async function issue(dir: string, files: TlsMaterial['files']): Promise<void> {
	const caKey = join(dir, 'api-ca.key');
	const csr = join(dir, 'api-server.csr');
	const ext = join(dir, 'api-server.ext');
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await openssl(['req', '-x509', ...ec, '-keyout', caKey, '-out', files.caCert, '-days', '825', '-subj', '/CN=k8snet-lab-ca',
		'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	await openssl(['req', ...ec, '-keyout', files.key, '-out', csr, '-subj', '/CN=k8snet-lab-apiserver']);
	await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n');
	await openssl(['x509', '-req', '-in', csr, '-CA', files.caCert, '-CAkey', caKey, '-CAcreateserial', '-out', files.cert, '-days', '825', '-extfile', ext]);
	// The CA key has done its job; keeping it would only let someone mint more certs for the lab.
	await rm(caKey, {force: true});
	await rm(csr, {force: true});
	await rm(ext, {force: true});
	await rm(join(dir, 'api-ca.srl'), {force: true});
	await chmod(files.key, 0o600);
}

/** Reads the lab dir's TLS material and token, making whatever is missing. */
export async function ensureTlsMaterial(dir: string): Promise<TlsMaterial> {
	await mkdir(dir, {recursive: true});
	const files = tlsFiles(dir);
	if (!existsSync(files.caCert) || !existsSync(files.cert) || !existsSync(files.key)) await issue(dir, files);
	if (!existsSync(files.token)) await writeFile(files.token, randomBytes(24).toString('hex') + '\n', {mode: 0o600});
	const [caCertPem, certPem, keyPem, token] = await Promise.all([files.caCert, files.cert, files.key, files.token].map(async f => readFile(f, 'utf8')));
	return {caCertPem: caCertPem!, certPem: certPem!, keyPem: keyPem!, token: token!.trim(), files};
}

/** A certificate for 127.0.0.1 that no lab CA signed: the badCert fault serves it. */
export async function rogueCertificate(dir: string): Promise<{certPem: string; keyPem: string}> {
	const cert = join(dir, 'api-rogue.crt');
	const key = join(dir, 'api-rogue.key');
	if (!existsSync(cert) || !existsSync(key)) {
		await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
			'-days', '825', '-subj', '/CN=k8snet-lab-rogue', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
		await chmod(key, 0o600);
	}

	const [certPem, keyPem] = await Promise.all([readFile(cert, 'utf8'), readFile(key, 'utf8')]);
	return {certPem, keyPem};
}

/** The kubeconfig kubectl and client-node use: CA data inline, so the file stands on its own. */
export function kubeconfigYaml(server: string, caCertPem: string, token: string): string {
	const ca = Buffer.from(caCertPem).toString('base64');
	return `apiVersion: v1
kind: Config
clusters:
- name: k8snet-lab
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: k8snet-lab-admin
  user:
    token: ${token}
contexts:
- name: k8snet-lab
  context:
    cluster: k8snet-lab
    user: k8snet-lab-admin
    namespace: default
current-context: k8snet-lab
preferences: {}
`;
}
