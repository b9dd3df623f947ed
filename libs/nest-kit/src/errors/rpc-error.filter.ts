import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';
import { AppError } from '@study-buddy/contracts';
import { toErrorPayload } from './to-error-payload';

/** Errors of `@MessagePattern` handlers cross NATS as `{ code, message, details }`. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<unknown> {
    if (exception instanceof RpcException)
      return throwError(() => AppError.fromPayload(exception.getError()).toPayload());
    return throwError(() => toErrorPayload(exception).payload);
  }
}
