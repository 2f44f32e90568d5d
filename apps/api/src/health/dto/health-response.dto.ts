import { ApiProperty } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { FreeForm } from '../../http/openapi.js';

// Terminus's result: each indicator (here "database") by name, with its status.
export class HealthResponseDto implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: HealthCheckResult['status'];
  @ApiProperty(FreeForm('indicators that are up', true)) info?: HealthCheckResult['info'];
  @ApiProperty(FreeForm('indicators that are down', true)) error?: HealthCheckResult['error'];
  @ApiProperty(FreeForm('every indicator')) details: HealthCheckResult['details'];
}
