package io.charlatan.das;

import io.charlatan.junit.Charlatan;
import io.charlatan.junit.MountebankFixtures;
import io.charlatan.junit.RedisFixtures;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class of the DAS process with everything around it, as the talk's {@code conftest.py}:
 * Redis, the imposter server, the peers (UAA, User Management, Downloader, Metadata Parser) and DAS
 * itself, started once per test run and shared by every class so marked (see {@link DasFixtures}
 * for what a test may ask for). Each test gets what it asks for clean: {@code redis} emptied, the
 * peers' imposters with their own stubs and no recorded requests, before and after the test.
 *
 * <pre>{@code
 * @DasTest
 * class SubmitTest {
 *   @Test
 *   void a_request_is_passed_to_the_downloader(DasClient das, Imposter downloader, String userToken)
 *       throws Exception {
 *     das.submit(userToken, DasClient.newRequest("org-a", "http://example.com/data.csv"));
 *     downloader.waitForRequests(1, Duration.ofSeconds(2));
 *   }
 * }
 * }</pre>
 *
 * <p>Such classes share one DAS and one Redis, and their resets would clear each other's data: they
 * never run at the same time as each other, since {@code @Charlatan} locks the session's Redis and
 * imposters for each class that reaches them, while classes with services of their own may run
 * beside them (with JUnit's parallel execution on, as {@code das/pom.xml} has it).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Charlatan(fixtures = {RedisFixtures.class, MountebankFixtures.class, DasFixtures.class})
public @interface DasTest {}
