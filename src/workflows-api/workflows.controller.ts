import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from '../workflow-engine/machine-registry';
import { describeMachine, toMermaid } from '../workflow-engine/mermaid';

// A Map: the name comes from the URL, and a plain object would also answer to `__proto__` or `constructor`.
const WORKFLOWS = new Map([['referral', () => referralMachineFor(CURRENT_REFERRAL_VERSION)]]);

export class WorkflowView {
  @ApiProperty({ example: 'referral' }) name: string;
  @ApiProperty({ type: String, example: '1' }) version: string | undefined;
  @ApiProperty({ type: [String], example: ['submitted', 'under-review'], description: 'dotted paths for nested states' })
  states: string[];
  @ApiProperty({ type: [String], example: ['ACKNOWLEDGE', 'COMMENT'] }) events: string[];
}

export class WorkflowList {
  @ApiProperty({ type: [WorkflowView] }) items: WorkflowView[];
}

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api/v1/workflows')
export class WorkflowsController {
  @Get()
  @ApiOperation({ summary: 'The workflows with their states and events' })
  @ApiOkResponse({ type: WorkflowList })
  list(): WorkflowList {
    return {
      items: [...WORKFLOWS].map(([name, machine]) => ({
        name,
        version: machine().version,
        ...describeMachine(machine()),
      })),
    };
  }

  @Get(':name/diagram')
  @ApiParam({
    name: 'name',
    schema: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, example: 'referral' },
    description: 'a workflow name of GET /api/v1/workflows',
  })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The workflow as a Mermaid stateDiagram-v2' })
  @ApiOkResponse({
    description: 'Mermaid source',
    content: { 'text/plain': { schema: { type: 'string', example: 'stateDiagram-v2\n  [*] --> submitted\n' } } },
  })
  @ApiProblems(404)
  diagram(@Param('name') name: string): string {
    const machine = WORKFLOWS.get(name);
    if (!machine) throw notFound('Workflow');
    return toMermaid(machine());
  }
}
