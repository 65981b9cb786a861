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
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import redis.clients.jedis.JedisPooled;

/** The talk's conftest.py: the payments imposter, the service's main class, a client, Redis. */
class OrdersFixtures {
  @Fixture(scope = Scope.SESSION)
  Imposter payments(EmbeddedMountebank mountebank) {
    return mountebank.createImposter(
        ImposterSpec.http().stub(StubSpec.on("POST", "/payments").respond(201, "{}")));
  }

  @Fixture(scope = Scope.SESSION)
  ServiceProcess service(Imposter payments, RedisServer redisServer) {
    return ServiceProcess.start(
        ServiceDefinition.command(JavaCommand.mainClass(OrdersApp.class).args("{port}").toList())
            .name("orders")
            .env("PAYMENTS_URL", payments.url().toString())
            .env("REDIS_URL", redisServer.url().toString())
            .ready(Ready.whenHttp("/health").returns(200))
            .build());
  }

  @Fixture(scope = Scope.SESSION)
  ContractClient orders(ServiceProcess service) {
    return ContractClient.of(Spec.load("openapi.yaml"), Transports.http(service.url()));
  }

  @Fixture
  JedisPooled db(RedisServer redis) {
    return new JedisPooled(redis.url());
  }
}
