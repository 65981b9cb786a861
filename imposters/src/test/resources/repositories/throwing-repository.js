'use strict';
// A repository module whose create() throws.
module.exports = {
    create: () => {
        throw new Error('the repository is out of order');
    }
};
