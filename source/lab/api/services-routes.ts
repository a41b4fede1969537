// The `services` entry of /api/v1 (EndpointSlices are in the group table, network-policy-discovery.ts).

export const SERVICES_RESOURCE = {name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'list', 'watch'], shortNames: ['svc'], categories: ['all']};
