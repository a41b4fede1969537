// The CRI v1 messages this tool sends or reads, and nothing more. Field numbers are those of the
// published k8s.io/cri-api pkg/apis/runtime/v1/api.proto (kubernetes/cri-api); a field left out here
// is skipped on decode, as proto3 does with any unknown field. Kept as text and parsed by protobufjs
// at first use, so the bundle needs no .proto file at run time.
import protobuf from 'protobufjs';

export const CRI_PACKAGE = 'runtime.v1';
export const CRI_SERVICE = `${CRI_PACKAGE}.RuntimeService`;

const CRI_PROTO = `
syntax = "proto3";
package runtime.v1;

message VersionRequest { string version = 1; }
message VersionResponse {
	string version = 1;
	string runtime_name = 2;
	string runtime_version = 3;
	string runtime_api_version = 4;
}

message DNSConfig {
	repeated string servers = 1;
	repeated string searches = 2;
	repeated string options = 3;
}
message PodSandboxMetadata {
	string name = 1;
	string uid = 2;
	string namespace = 3;
	uint32 attempt = 4;
}
message LinuxPodSandboxConfig { string cgroup_parent = 1; }
message PodSandboxConfig {
	PodSandboxMetadata metadata = 1;
	string hostname = 2;
	string log_directory = 3;
	DNSConfig dns_config = 4;
	map<string, string> labels = 6;
	map<string, string> annotations = 7;
	LinuxPodSandboxConfig linux = 8;
}
message RunPodSandboxRequest {
	PodSandboxConfig config = 1;
	string runtime_handler = 2;
}
message RunPodSandboxResponse { string pod_sandbox_id = 1; }
message StopPodSandboxRequest { string pod_sandbox_id = 1; }
message StopPodSandboxResponse {}
message RemovePodSandboxRequest { string pod_sandbox_id = 1; }
message RemovePodSandboxResponse {}

enum PodSandboxState {
	SANDBOX_READY = 0;
	SANDBOX_NOTREADY = 1;
}
message PodIP { string ip = 1; }
message PodSandboxNetworkStatus {
	string ip = 1;
	repeated PodIP additional_ips = 2;
}
message PodSandboxStatus {
	string id = 1;
	PodSandboxMetadata metadata = 2;
	PodSandboxState state = 3;
	int64 created_at = 4;
	PodSandboxNetworkStatus network = 5;
	map<string, string> labels = 7;
	map<string, string> annotations = 8;
}
message PodSandboxStatusRequest {
	string pod_sandbox_id = 1;
	bool verbose = 2;
}
message PodSandboxStatusResponse {
	PodSandboxStatus status = 1;
	map<string, string> info = 2;
}
message PodSandboxStateValue { PodSandboxState state = 1; }
message PodSandboxFilter {
	string id = 1;
	PodSandboxStateValue state = 2;
	map<string, string> label_selector = 3;
}
message ListPodSandboxRequest { PodSandboxFilter filter = 1; }
message PodSandbox {
	string id = 1;
	PodSandboxMetadata metadata = 2;
	PodSandboxState state = 3;
	int64 created_at = 4;
	map<string, string> labels = 5;
	map<string, string> annotations = 6;
}
message ListPodSandboxResponse { repeated PodSandbox items = 1; }

message ImageSpec { string image = 1; }
message KeyValue {
	string key = 1;
	string value = 2;
}
message ContainerMetadata {
	string name = 1;
	uint32 attempt = 2;
}
message ContainerConfig {
	ContainerMetadata metadata = 1;
	ImageSpec image = 2;
	repeated string command = 3;
	repeated string args = 4;
	repeated KeyValue envs = 6;
	map<string, string> labels = 9;
	map<string, string> annotations = 10;
	string log_path = 11;
}
message CreateContainerRequest {
	string pod_sandbox_id = 1;
	ContainerConfig config = 2;
	PodSandboxConfig sandbox_config = 3;
}
message CreateContainerResponse { string container_id = 1; }
message StartContainerRequest { string container_id = 1; }
message StartContainerResponse {}
message StopContainerRequest {
	string container_id = 1;
	int64 timeout = 2;
}
message StopContainerResponse {}
message RemoveContainerRequest { string container_id = 1; }
message RemoveContainerResponse {}

enum ContainerState {
	CONTAINER_CREATED = 0;
	CONTAINER_RUNNING = 1;
	CONTAINER_EXITED = 2;
	CONTAINER_UNKNOWN = 3;
}
message ContainerStateValue { ContainerState state = 1; }
message ContainerFilter {
	string id = 1;
	ContainerStateValue state = 2;
	string pod_sandbox_id = 3;
	map<string, string> label_selector = 4;
}
message ListContainersRequest { ContainerFilter filter = 1; }
message Container {
	string id = 1;
	string pod_sandbox_id = 2;
	ContainerMetadata metadata = 3;
	ImageSpec image = 4;
	string image_ref = 5;
	ContainerState state = 6;
	int64 created_at = 7;
	map<string, string> labels = 8;
	map<string, string> annotations = 9;
}
message ListContainersResponse { repeated Container containers = 1; }
message ContainerStatusRequest {
	string container_id = 1;
	bool verbose = 2;
}
message ContainerStatus {
	string id = 1;
	ContainerMetadata metadata = 2;
	ContainerState state = 3;
	int64 created_at = 4;
	int64 started_at = 5;
	int64 finished_at = 6;
	int32 exit_code = 7;
	ImageSpec image = 8;
	string image_ref = 9;
	string reason = 10;
	string message = 11;
	map<string, string> labels = 12;
	map<string, string> annotations = 13;
}
message ContainerStatusResponse {
	ContainerStatus status = 1;
	map<string, string> info = 2;
}
`;

/** The RPCs we call: name → [request type, response type]. */
export const CRI_METHODS = {
	Version: ['VersionRequest', 'VersionResponse'],
	RunPodSandbox: ['RunPodSandboxRequest', 'RunPodSandboxResponse'],
	StopPodSandbox: ['StopPodSandboxRequest', 'StopPodSandboxResponse'],
	RemovePodSandbox: ['RemovePodSandboxRequest', 'RemovePodSandboxResponse'],
	PodSandboxStatus: ['PodSandboxStatusRequest', 'PodSandboxStatusResponse'],
	ListPodSandbox: ['ListPodSandboxRequest', 'ListPodSandboxResponse'],
	CreateContainer: ['CreateContainerRequest', 'CreateContainerResponse'],
	StartContainer: ['StartContainerRequest', 'StartContainerResponse'],
	StopContainer: ['StopContainerRequest', 'StopContainerResponse'],
	RemoveContainer: ['RemoveContainerRequest', 'RemoveContainerResponse'],
	ListContainers: ['ListContainersRequest', 'ListContainersResponse'],
	ContainerStatus: ['ContainerStatusRequest', 'ContainerStatusResponse'],
} as const;

export type CriMethod = keyof typeof CRI_METHODS;

let root: protobuf.Root | null = null;

export function criType(name: string): protobuf.Type {
	root ??= protobuf.parse(CRI_PROTO, {keepCase: false}).root;
	return root.lookupType(`${CRI_PACKAGE}.${name}`);
}

/** Plain objects out: int64 as decimal strings, enums by name, absent fields at their defaults. */
export const CRI_DECODE_OPTIONS: protobuf.IConversionOptions = {longs: String, enums: String, defaults: true, arrays: true, objects: true};
