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
import java.time.Duration;

/** The talk's conftest.py: the payments imposter, the service's boot jar, a client, Redis. */
class OrdersFixtures {
  @Fixture(scope = Scope.SESSION)
  Imposter payments(EmbeddedMountebank mountebank) {
    return mountebank.createImposter(
        ImposterSpec.http().stub(StubSpec.on("POST", "/payments").respond(201, "{}")));
  }

  @Fixture(scope = Scope.SESSION)
  ServiceProcess service(Imposter payments, RedisServer redisServer) {
    return ServiceProcess.start(
        ServiceDefinition.command(
                JavaCommand.jar(Path.of("target/spring-boot-orders.jar"))
                    .args("--server.port={port}")
                    .toList())
            .name("orders")
            .env("PAYMENTS_URL", payments.url().toString())
            .env("REDIS_URL", redisServer.url().toString())
            .ready(Ready.whenHttp("/actuator/health").returns(200))
            .startTimeout(Duration.ofMinutes(2)) // a busy CI machine
            .build());
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
}
