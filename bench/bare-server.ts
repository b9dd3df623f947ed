// The baseline of bench/http.bench.ts: a bare Nest-Fastify route in its own process,
// as the gateway runs in its own. `node -r ./libs/testing/ts-register.js bench/bare-server.ts <port>`
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class BareController {
  @Get('ping')
  ping() {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.argv[2]), '127.0.0.1');
  process.send?.('ready');
}

void main();
