import { MESSAGE_LIST_RESPONSE } from '../scim.constants.js';
/**
 * RFC 7644 §3.4.2: the numbers are JSON numbers, and `Resources` is present even
 * when empty because some clients assert it (requirements B.16).
 */
export function listResponse(resources, totalResults, startIndex) {
    return {
        schemas: [MESSAGE_LIST_RESPONSE],
        totalResults,
        startIndex,
        itemsPerPage: resources.length,
        Resources: resources,
    };
}
//# sourceMappingURL=list-response.js.map