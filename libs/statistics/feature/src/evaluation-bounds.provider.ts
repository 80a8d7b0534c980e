import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_EVALUATION_SETTINGS, evaluationPolicySchema, gradesOf } from '@ecc/evaluation-domain';
import { EVALUATION_POLICY_KEY } from '@ecc/evaluation-feature';
import { PoliciesRepository } from '@ecc/legal-data';
import type { PrismaClient } from '@ecc/shared-data';
import type { GradeBounds } from '@ecc/statistics-data';
import { STATISTICS_PRISMA } from './statistics-database';

/** The grade bounds of the case_file_evaluation policy in force at an instant (defaults: 90, 80, 60). */
@Injectable()
export class EvaluationBoundsProvider {
  private readonly policies: PoliciesRepository;

  constructor(@Inject(STATISTICS_PRISMA) db: PrismaClient) {
    this.policies = new PoliciesRepository(db);
  }

  async at(instant: Date): Promise<GradeBounds> {
    const stored = await this.policies.current(EVALUATION_POLICY_KEY, instant);
    const parsed = stored ? evaluationPolicySchema.safeParse(stored.value) : undefined;
    const grades = gradesOf(parsed?.success ? parsed.data : DEFAULT_EVALUATION_SETTINGS);
    return {
      excellentFrom: grades.excellentFrom,
      goodFrom: grades.goodFrom,
      qualifiedFrom: grades.qualifiedFrom,
    };
  }
}
