package io.charlatan.junit.sample;

import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.ServiceFixtures;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The sample's own annotation: what every test of the DAS needs. */
// tag::annotation[]
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Charlatan(fixtures = {MountebankFixtures.class, ServiceFixtures.class, DasFixtures.class})
public @interface DasTest {}
// end::annotation[]
