import { Authorized, Query, Resolver } from 'type-graphql';
import { Role } from '../../core/context';
import { OperationsService } from './operations.service';
import { QueueState } from './queue-state.types';

@Resolver()
export class OperationsResolver {
  constructor(private readonly operations: OperationsService) {}

  @Authorized(Role.ADMIN)
  @Query(() => [QueueState], { description: 'Job counts of every queue, and jobs waiting in the Postgres outbox (operators)' })
  queueStates(): Promise<QueueState[]> {
    return this.operations.queueStates();
  }
}
