import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { notFound } from '../common/problem';
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from '../workflow-engine/machine-registry';
import { describeMachine, toMermaid } from '../workflow-engine/mermaid';

// A Map, not an object: names such as __proto__ or toString must find nothing (404).
const WORKFLOWS = new Map([['referral', () => referralMachineFor(CURRENT_REFERRAL_VERSION)]]);

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api/v1/workflows')
export class WorkflowsController {
  @Get()
  list() {
    return {
      items: [...WORKFLOWS].map(([name, machine]) => ({
        name,
        version: machine().version,
        ...describeMachine(machine()),
      })),
    };
  }

  @Get(':name/diagram')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  diagram(@Param('name') name: string) {
    const machine = WORKFLOWS.get(name);
    if (!machine) throw notFound('Workflow');
    return toMermaid(machine());
  }
}
