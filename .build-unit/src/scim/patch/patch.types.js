export {};
//# sourceMappingURL=patch.types.js.map