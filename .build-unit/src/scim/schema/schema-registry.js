import { SCHEMA_ENTERPRISE_USER, SCHEMA_GROUP, SCHEMA_USER } from '../scim.constants.js';
import { COMMON_ATTRIBUTES } from './common.attributes.js';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema.js';
import { GROUP_SCHEMA } from './group.schema.js';
import { USER_SCHEMA } from './user.schema.js';
export const USER_RESOURCE_TYPE = {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: SCHEMA_USER,
    schemaExtensions: [{ schema: SCHEMA_ENTERPRISE_USER, required: false }],
};
export const GROUP_RESOURCE_TYPE = {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: SCHEMA_GROUP,
    schemaExtensions: [],
};
function byLowerName(attributes) {
    return new Map(attributes.map((a) => [a.name.toLowerCase(), a]));
}
/**
 * The schemas and resource types this server implements. Attribute names are
 * case-insensitive (RFC 7643 §2.1), so every lookup goes through lower-cased maps,
 * while the definitions keep the canonical spelling used in responses.
 */
export class SchemaRegistry {
    schemas = new Map();
    attributesBySchema = new Map();
    commonAttributes = byLowerName(COMMON_ATTRIBUTES);
    resourceTypes = new Map();
    constructor(schemas = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA], resourceTypes = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]) {
        for (const schema of schemas) {
            this.schemas.set(schema.id.toLowerCase(), schema);
            this.attributesBySchema.set(schema.id.toLowerCase(), byLowerName(schema.attributes));
        }
        for (const type of resourceTypes)
            this.resourceTypes.set(type.name, type);
    }
    /** RFC 7643 §3.1 attributes shared by every resource type (id, externalId, meta). */
    commonAttributeDefinitions() {
        return COMMON_ATTRIBUTES;
    }
    isCommonAttribute(name) {
        return this.commonAttributes.has(name.toLowerCase());
    }
    listSchemas() {
        return [...this.schemas.values()];
    }
    getSchema(urn) {
        return this.schemas.get(urn.toLowerCase());
    }
    listResourceTypes() {
        return [...this.resourceTypes.values()];
    }
    getResourceType(name) {
        const type = this.resourceTypes.get(name);
        if (!type)
            throw new Error(`resource type ${name} is not registered`);
        return type;
    }
    /** Every schema URN a resource of this type may carry: the base schema first, then its extensions. */
    schemaUrisOf(type) {
        const def = this.getResourceType(type);
        return [def.schema, ...def.schemaExtensions.map((e) => e.schema)];
    }
    /** The schema URN among a type's schemas that equals `uri` case-insensitively, in canonical spelling. */
    findSchemaUri(type, uri) {
        const lower = uri.toLowerCase();
        return this.schemaUrisOf(type).find((u) => u.toLowerCase() === lower);
    }
    /**
     * Splits a fully qualified attribute reference (`urn:…:User:name.givenName`) into schema URN and the
     * rest by longest registered-URN prefix, since URNs themselves contain ':' and '.' (requirements B.29).
     */
    splitUrn(type, text) {
        const lower = text.toLowerCase();
        const candidates = this.schemaUrisOf(type).sort((a, b) => b.length - a.length);
        for (const uri of candidates) {
            const u = uri.toLowerCase();
            if (lower === u)
                return { schemaUri: uri, rest: '' };
            if (lower.startsWith(u) && (lower[u.length] === ':' || lower[u.length] === '.')) {
                return { schemaUri: uri, rest: text.slice(u.length + 1) };
            }
        }
        return undefined;
    }
    /** Resolves a path for a resource type, or undefined when the type has no such attribute. */
    resolve(type, path) {
        const found = this.findTopLevel(type, path);
        if (!found)
            return undefined;
        const { schemaUri, attribute } = found;
        const prefix = schemaUri && schemaUri !== this.getResourceType(type).schema ? `${schemaUri}:` : '';
        if (path.subAttr === undefined) {
            return { schemaUri, attribute, path: `${prefix}${attribute.name}` };
        }
        const sub = attribute.subAttributes?.find((s) => s.name.toLowerCase() === path.subAttr?.toLowerCase());
        if (!sub)
            return undefined;
        return { schemaUri, attribute, subAttribute: sub, path: `${prefix}${attribute.name}.${sub.name}` };
    }
    findTopLevel(type, path) {
        const name = path.name.toLowerCase();
        if (path.schemaUri !== undefined) {
            const uri = this.findSchemaUri(type, path.schemaUri);
            if (!uri)
                return undefined;
            const attribute = this.attributesBySchema.get(uri.toLowerCase())?.get(name);
            // The common attributes may also be qualified with the base schema URN.
            if (!attribute && uri === this.getResourceType(type).schema) {
                const common = this.commonAttributes.get(name);
                return common ? { schemaUri: '', attribute: common } : undefined;
            }
            return attribute ? { schemaUri: uri, attribute } : undefined;
        }
        const common = this.commonAttributes.get(name);
        if (common)
            return { schemaUri: '', attribute: common };
        const base = this.getResourceType(type).schema;
        const attribute = this.attributesBySchema.get(base.toLowerCase())?.get(name);
        return attribute ? { schemaUri: base, attribute } : undefined;
    }
}
//# sourceMappingURL=schema-registry.js.map