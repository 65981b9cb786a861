package com.example.orders;

import io.charlatan.backing.RedisServer;
import io.charlatan.contract.ContractClient;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Transports;
import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.StubSpec;
import io.charlatan.junit.Fixture;
import io.charlatan.junit.Scope;
import io.charlatan.junit.Teardown;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;

/** The talk's conftest.py: the payments imposter, the service's boot jar, a client, Redis. */
class OrdersFixtures {
  static final StubSpec PAID = StubSpec.on("POST", "/payments").respond(201, "{}");

  @Fixture(scope = Scope.SESSION)
  Imposter paymentsSession(EmbeddedMountebank mountebank) {
    return mountebank.createImposter(ImposterSpec.http().stub(PAID));
  }

  @Fixture
  Imposter payments(EmbeddedMountebank mountebank, Imposter paymentsSession, Teardown teardown) {
    teardown.add(() -> stub(mountebank, paymentsSession, PAID));
    return paymentsSession;
  }

  @Fixture(scope = Scope.SESSION)
  ServiceDefinition definition(Imposter paymentsSession, RedisServer redisServer) {
    return ServiceDefinition.command(
            JavaCommand.jar(Path.of("target/spring-boot-orders.jar"))
                .args("--server.port={port}")
                .toList())
        .name("orders")
        .env("PAYMENTS_URL", paymentsSession.url().toString())
        .env("REDIS_URL", redisServer.url().toString())
        .ready(Ready.whenHttp("/actuator/health").returns(200))
        .build();
  }

  @Fixture(scope = Scope.SESSION)
  ContractClient orders(ServiceProcess service) {
    return ContractClient.of(Spec.load("openapi.yaml"), Transports.http(service.url()));
  }

  @Fixture
  RedisCommands<String, String> db(RedisServer redis, Teardown teardown) {
    RedisClient client = RedisClient.create(redis.url().toString());
    teardown.add(client::shutdown);
    return client.connect().sync();
  }

  /** Payments answers with this stub until the test ends. */
  static void stub(EmbeddedMountebank mountebank, Imposter payments, StubSpec stub) {
    payments.close();
    mountebank.createImposter(ImposterSpec.http().port(payments.port()).stub(stub));
  }
}
