import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { fenceChannels, type FenceChangedMessage, type InterceptionAlertView } from '@ecc/fences-domain';
import { APP_CONFIG, duplicateRedis, REDIS, type RedisConnection } from '@ecc/platform-nest';

type Listener<T> = (message: T) => void;

/**
 * Redis pub/sub of the fence context. Publishing uses the shared connection; listening needs a connection
 * of its own (a subscribed connection can do nothing else), opened only when a listener registers — so the
 * worker, which only publishes, holds none.
 */
@Injectable()
export class FenceBus implements OnApplicationShutdown {
  private readonly logger = new Logger(FenceBus.name);
  private readonly channels: ReturnType<typeof fenceChannels>;
  private subscriber?: RedisConnection;
  private readonly changed: Listener<FenceChangedMessage>[] = [];
  private readonly alerts: Listener<InterceptionAlertView>[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channels = fenceChannels(config.redis.keyPrefix);
  }

  async publishChanged(message: FenceChangedMessage): Promise<void> {
    await this.redis.publish(this.channels.changed, JSON.stringify(message));
  }

  async publishAlert(alert: InterceptionAlertView): Promise<void> {
    await this.redis.publish(this.channels.alerts, JSON.stringify(alert));
  }

  onChanged(listener: Listener<FenceChangedMessage>): void {
    this.changed.push(listener);
    this.listen();
  }

  onAlert(listener: Listener<InterceptionAlertView>): void {
    this.alerts.push(listener);
    this.listen();
  }

  private listen(): void {
    if (this.subscriber) return;
    const subscriber = duplicateRedis(this.redis);
    this.subscriber = subscriber;
    subscriber.on('error', (err: unknown) => this.logger.warn({ err }, 'fence pub/sub connection error'));
    subscriber.on('message', (channel: string, raw: string) => {
      try {
        const message: unknown = JSON.parse(raw);
        const listeners = channel === this.channels.changed ? this.changed : this.alerts;
        for (const listener of listeners) (listener as Listener<unknown>)(message);
      } catch (err) {
        this.logger.warn({ err, channel }, 'bad fence pub/sub message ignored');
      }
    });
    // ioredis re-subscribes by itself after a reconnect.
    subscriber
      .subscribe(this.channels.changed, this.channels.alerts)
      .catch((err: unknown) => this.logger.warn({ err }, 'fence pub/sub subscription failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }
}
