/**
 * Consumer-side contracts: imposters bound to a provider's spec, so that their stubs cannot drift
 * from the real service and every request the service under test sends them is checked. Needs the
 * {@code charlatan-imposters} module on the class path (an optional dependency of this one).
 */
package io.charlatan.contract.imposters;
