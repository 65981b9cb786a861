/**
 * JavaScript injection (Mountebank's {@code --allowInjection}): the scripts of one imposter run in
 * one GraalJS context, found on the class path only when injection is used, and Mountebank's {@code
 * shellTransform}. Not an API.
 */
package io.charlatan.imposters.internal.inject;
