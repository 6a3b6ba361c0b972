import { ApiProperty } from '@nestjs/swagger';
import { CursorField, EnumField, LimitField, TextField, UuidField } from '../common/fields';
import type { ProcedureQuery } from './procedures.service';
import { ProcedureView } from './procedure.views';

export class ListProceduresQuery implements ProcedureQuery {
  @TextField({ optional: true, max: 64, example: 'received', description: 'a state of the workflow' }) state?: string;
  @EnumField(['incoming', 'outgoing'], {
    optional: true,
    example: 'incoming',
    description: "incoming: the caller's agency must answer it (target); outgoing: it started it (source)",
  })
  direction?: 'incoming' | 'outgoing';
  @UuidField({ optional: true, example: '5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f', description: 'about this administrative case' })
  adminCaseId?: string;
  @UuidField({ optional: true, example: '5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f', description: 'started from this instance' })
  originId?: string;
  @EnumField(['true', 'false'], { optional: true, example: 'true', description: 'true: only those with a breached deadline' })
  overdue?: 'true' | 'false';
  @TextField({ optional: true, max: 200, example: 'baijiu', description: 'words in the title, summary or reference number' })
  q?: string;
  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

/** A page of any workflow's instances, typed by the view class given. */
export function pageOf<V extends ProcedureView>(view: new () => V, name: string) {
  class Page {
    @ApiProperty({ type: [view] }) items: V[];
    @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
  }
  Object.defineProperty(Page, 'name', { value: name });
  return Page;
}
