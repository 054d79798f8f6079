import { toAttributeJson } from '../discovery/discovery.mapper.js';
import { listResponse, type ListResponse } from '../scim/resource/list-response.js';
import { weakEtag } from '../scim/resource/scim-resource.js';
import { SCHEMA_SCHEMA_URN } from '../scim/scim.constants.js';
import type { StoredExtension } from './extensions.repository.js';

/** RFC 7643 §7 representation, with the resource type it extends and whether that type requires it. */
export function toExtensionJson(extension: StoredExtension, directoryId: number): Record<string, unknown> {
  const { schema } = extension;
  return {
    schemas: [SCHEMA_SCHEMA_URN],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    resourceType: extension.resourceType,
    required: extension.required,
    attributes: schema.attributes.map(toAttributeJson),
    meta: {
      resourceType: 'Schema',
      created: extension.created,
      lastModified: extension.lastModified,
      version: weakEtag(extension.version),
      location: `/admin/directories/${directoryId}/schemas/${schema.id}`,
    },
  };
}

export function toExtensionList(extensions: readonly StoredExtension[], directoryId: number): ListResponse {
  const resources = extensions.map((e) => toExtensionJson(e, directoryId));
  return listResponse(resources, { totalResults: resources.length, startIndex: 1 });
}
