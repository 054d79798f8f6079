import { SCHEMA_ENTERPRISE_USER } from '../scim.constants.js';
import { attribute } from './attribute-definition.js';
/**
 * RFC 7643 §4.3 Enterprise User extension, characteristics as published in §8.7.1.
 * manager.$ref keeps the builder's caseExact true (§2.3.7) where §8.7.1 lists false.
 */
export const ENTERPRISE_USER_SCHEMA = {
    id: SCHEMA_ENTERPRISE_USER,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: [
        attribute('employeeNumber', 'string', {
            description: 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
        }),
        attribute('costCenter', 'string', { description: 'Identifies the name of a cost center.' }),
        attribute('organization', 'string', { description: 'Identifies the name of an organization.' }),
        attribute('division', 'string', { description: 'Identifies the name of a division.' }),
        attribute('department', 'string', { description: 'Identifies the name of a department.' }),
        attribute('manager', 'complex', {
            description: "The User's manager. A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
            subAttributes: [
                attribute('value', 'string', {
                    description: "The id of the SCIM resource representing the User's manager. RECOMMENDED.",
                }),
                attribute('$ref', 'reference', {
                    description: "The URI of the SCIM resource representing the User's manager. RECOMMENDED.",
                    referenceTypes: ['User'],
                }),
                // §4.3: the server derives the manager's displayName; it is OPTIONAL and READ-ONLY.
                attribute('displayName', 'string', {
                    description: "The displayName of the User's manager. OPTIONAL and READ-ONLY.",
                    mutability: 'readOnly',
                }),
            ],
        }),
    ],
};
//# sourceMappingURL=enterprise-user.schema.js.map