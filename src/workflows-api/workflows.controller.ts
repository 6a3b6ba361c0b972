import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import { currentDefinition, currentDefinitions } from '../workflow-engine/workflow-registry';
import { describeMachine, toMermaid } from '../workflow-engine/mermaid';

export class WorkflowView {
  @ApiProperty({ example: 'referral' }) name: string;
  @ApiProperty({ type: String, example: '1' }) version: string | undefined;
  @ApiProperty({
    example: 'Transfer of a suspected criminal case from an administrative agency to the police (移送涉嫌犯罪案件)',
  })
  title: string;
  @ApiProperty({ type: [String], example: ['submitted', 'under-review'], description: 'dotted paths for nested states' })
  states: string[];
  @ApiProperty({ type: [String], example: ['ACKNOWLEDGE', 'COMMENT'] }) events: string[];
  @ApiProperty({ type: [String], example: ['closed', 'withdrawn'], description: 'states where only COMMENT is accepted' })
  finalStates: string[];
  @ApiProperty({
    type: () => [WorkflowDeadlineView],
    description: 'the deadline kinds the workflow runs, with their legal basis',
  })
  deadlines: WorkflowDeadlineView[];
}

export class WorkflowDeadlineView {
  @ApiProperty({ example: 'acknowledge' }) kind: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '24 hours',
    description: 'null when the event sets the due time (a rectification plan)',
  })
  period: string | null;
  @ApiProperty({ enum: ['target', 'source', 'task-agency'] }) responsible: string;
  @ApiProperty({ example: 'State Council Provisions … art. 8' }) legalBasis: string;
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
      items: currentDefinitions().map((d) => ({
        name: d.name,
        version: d.version,
        title: d.title,
        ...describeMachine(d.machine),
        finalStates: [...d.finalStates],
        deadlines: Object.values(d.deadlines).map((r) => ({
          kind: r.kind,
          period: r.period ? `${r.period.length} ${r.period.unit}` : null,
          responsible: r.responsible,
          legalBasis: r.legalBasis,
        })),
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
    const definition = currentDefinition(name);
    if (!definition) throw notFound('Workflow');
    return toMermaid(definition.machine);
  }
}
