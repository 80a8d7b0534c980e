import { Module } from '@nestjs/common';
import { LegalModule } from '@ecc/legal-feature';
import { PoliciesController } from './policies.controller';
import { SetPolicyUseCase } from './set-policy.use-case';

/**
 * `GET/PUT /policies/{key}`: every local policy with the schema that validates it. It sits above the contexts
 * whose policies it composes (screening, notices, cases, four penalties, evaluation), so none of them, and
 * not the legal context, has to know the others.
 */
@Module({
  imports: [LegalModule],
  controllers: [PoliciesController],
  providers: [SetPolicyUseCase],
})
export class PoliciesModule {}
