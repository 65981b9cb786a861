package io.charlatan.junit.sample;

import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.Scope;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;

/** The fixtures of the acceptance example, as the talk's conftest.py. */
public class DasFixtures {
  // tag::fixtures[]
  @Fixture(scope = Scope.SESSION)
  Imposter downloader(EmbeddedMountebank mountebank) {
    return mountebank.createImposter(
        ImposterSpec.simple("POST", "/rest/downloader/requests", 200, "{}"));
  }

  @Fixture(scope = Scope.SESSION)
  ServiceDefinition definition(Imposter downloader) {
    return ServiceDefinition.command(
            JavaCommand.mainClass(AcquisitionService.class).args("{port}").toList())
        .name("das")
        .env("DOWNLOADER_URL", downloader.url().toString())
        .env("SELF_URL", "https://das.example.com")
        .ready(Ready.whenHttp("/health").returns(200))
        .build();
  }
  // end::fixtures[]
}
