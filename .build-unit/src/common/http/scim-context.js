export {};
//# sourceMappingURL=scim-context.js.map