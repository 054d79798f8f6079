import { SCHEMA_RESOURCE_TYPE, SCHEMA_SCHEMA_URN } from '../scim/scim.constants.js';
/** RFC 7643 §7: an attribute as /Schemas publishes it, every characteristic spelled out. */
export function toAttributeJson(def) {
    return {
        name: def.name,
        type: def.type,
        multiValued: def.multiValued,
        description: def.description,
        required: def.required,
        caseExact: def.caseExact,
        mutability: def.mutability,
        returned: def.returned,
        uniqueness: def.uniqueness,
        ...(def.canonicalValues ? { canonicalValues: def.canonicalValues } : {}),
        ...(def.referenceTypes ? { referenceTypes: def.referenceTypes } : {}),
        ...(def.subAttributes ? { subAttributes: def.subAttributes.map(toAttributeJson) } : {}),
    };
}
export function toSchemaJson(schema, baseUrl) {
    return {
        schemas: [SCHEMA_SCHEMA_URN],
        id: schema.id,
        name: schema.name,
        description: schema.description,
        attributes: schema.attributes.map(toAttributeJson),
        meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
    };
}
/** RFC 7643 §6 / RFC 7644 §4 Figure 9. */
export function toResourceTypeJson(type, baseUrl) {
    return {
        schemas: [SCHEMA_RESOURCE_TYPE],
        id: type.id,
        name: type.name,
        endpoint: type.endpoint,
        description: type.description,
        schema: type.schema,
        schemaExtensions: type.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
        meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
    };
}
//# sourceMappingURL=discovery.mapper.js.map