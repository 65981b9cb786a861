'use strict';
// A module that is not a repository: it has no create().
module.exports = { open: () => ({}) };
